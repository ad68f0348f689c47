"""The engine interface and the context that opens one (and its Dask cluster, if any)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
import pandas as pd
import xgboost as xgb

from training.dataset import Dataset
from training.steps.train import TrainConfig

EngineName = Literal["pandas", "dask"]
ENGINES: tuple[EngineName, ...] = ("pandas", "dask")


class EngineError(RuntimeError):
    """The engine cannot run here: an unusable device or an unreachable Dask scheduler."""


@dataclass(frozen=True)
class DaskConfig:
    """Where the dask engine runs: the scheduler at `scheduler`, or else a LocalCluster of
    `workers` workers of `threads` threads each.

    The local workers are threads of this process by default: they start in a fraction of a
    second, where worker processes re-import the whole command (~20 s on a busy 2-core machine)
    and may need killing at shutdown, and boosting and most feature work run in numpy and
    XGBoost outside the GIL. Processes (or a real cluster, via `scheduler`) receive the same
    pickled partitions.
    """

    scheduler: str | None = None
    workers: int = 2
    threads: int = 1
    processes: bool = False
    connect_timeout: str = "20s"


class Engine(Protocol):
    """Builds the feature table of chosen snapshots and fits the booster."""

    name: str

    def featurize(
        self,
        dataset: Dataset,
        snapshots: pd.DataFrame,
        *,
        cache_dir: Path | None,
        workers: int | None,
        progress: bool,
    ) -> pd.DataFrame:
        """`snapshots`' columns followed by every registered feature, same row order."""
        ...

    def fit(
        self,
        train: tuple[np.ndarray, np.ndarray],
        valid: tuple[np.ndarray, np.ndarray],
        *,
        feature_names: Sequence[str],
        monotone: Sequence[int],
        config: TrainConfig,
        device: str,
    ) -> xgb.Booster:
        """A booster early-stopped on `valid` and truncated to its best iteration."""
        ...


@contextmanager
def open_engine(name: EngineName, dask: DaskConfig | None = None) -> Iterator[Engine]:
    """The named engine, with its Dask client (and LocalCluster) open for the block's duration.

    Raises EngineError when the Dask scheduler cannot be reached.
    """
    if name == "pandas":
        from training.engines.local import PandasEngine

        yield PandasEngine()
    elif name == "dask":
        from training.engines.dask_engine import dask_engine

        with dask_engine(dask or DaskConfig()) as engine:
            yield engine
    else:
        raise ValueError(f"unknown engine {name!r} (expected one of {', '.join(ENGINES)})")
