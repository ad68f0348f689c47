"""`xgboost.dask` training with the pandas engine's parameters and early stopping."""

from __future__ import annotations

from collections.abc import Sequence
from math import ceil

import dask.array as da
import numpy as np
import xgboost as xgb
from distributed import Client
from xgboost import dask as dxgb

from training.steps.train import TrainConfig, best_rounds, booster_params


def _dask_array(client: Client, values: np.ndarray, chunks: int) -> da.Array:
    """A dask array of `values` in about `chunks` row blocks, scattered to the workers (so the
    data is not embedded in the task graph)."""
    rows = max(1, ceil(len(values) / max(1, chunks)))
    blocks = [values[start : start + rows] for start in range(0, len(values), rows)]
    futures = client.scatter(blocks, hash=False)  # type: ignore[no-untyped-call]
    arrays = [
        da.from_delayed(  # type: ignore[no-untyped-call]
            future, shape=(len(block), *values.shape[1:]), dtype=values.dtype
        )
        for future, block in zip(futures, blocks, strict=True)
    ]
    joined: da.Array = da.concatenate(arrays, axis=0)  # type: ignore[no-untyped-call]
    return joined


def fit_booster_dask(
    client: Client,
    train: tuple[np.ndarray, np.ndarray],
    valid: tuple[np.ndarray, np.ndarray],
    *,
    feature_names: Sequence[str],
    monotone: Sequence[int],
    config: TrainConfig,
    device: str,
    chunks: int,
) -> xgb.Booster:
    """`fit_booster` on the cluster: both matrices are split in `chunks` row blocks across the
    workers, which grow each tree together (`xgboost.dask.train`)."""
    if len(feature_names) != len(monotone):
        raise ValueError("feature_names and monotone differ in length")
    names = list(feature_names)
    params = booster_params(config, train[1], monotone, device=device)
    # Each worker uses its own thread count; the pandas engine's nthread is for one process.
    params.pop("nthread", None)
    matrices = [
        dxgb.DaskDMatrix(
            client,
            _dask_array(client, np.asarray(x, dtype=np.float32), chunks),
            _dask_array(client, np.asarray(y, dtype=np.float32), chunks),
            feature_names=names,
        )
        for x, y in (train, valid)
    ]
    out = dxgb.train(
        client,
        params,
        matrices[0],
        num_boost_round=config.num_boost_round,
        evals=[(matrices[1], "valid")],
        early_stopping_rounds=config.early_stopping_rounds,
        verbose_eval=False,
    )
    return best_rounds(out["booster"])
