"""The dask engine: a Dask client (a LocalCluster unless a scheduler address is given) that
builds features by account partition and fits with `xgboost.dask`."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import xgboost as xgb
from distributed import Client, LocalCluster

from training.dataset import Dataset
from training.engines.base import DaskConfig, EngineError
from training.engines.dask_features import featurize_on_cluster
from training.engines.dask_train import fit_booster_dask
from training.steps.train import TrainConfig

PARTS_PER_THREAD = 2  # more partitions than threads, so a slow one does not idle the rest


class DaskEngine:
    """Features and booster on the cluster behind `client`."""

    name = "dask"

    def __init__(self, client: Client) -> None:
        self.client = client

    def _threads(self) -> int:
        return max(1, sum(self._nthreads().values()))

    def _nthreads(self) -> dict[str, int]:
        threads: dict[str, int] = self.client.nthreads()  # type: ignore[no-untyped-call]
        return threads

    def featurize(
        self,
        dataset: Dataset,
        snapshots: pd.DataFrame,
        *,
        cache_dir: Path | None,
        workers: int | None,
        progress: bool,
    ) -> pd.DataFrame:
        """See `training.engines.dask_features.featurize_on_cluster`."""
        return featurize_on_cluster(
            self.client,
            dataset,
            snapshots,
            parts=PARTS_PER_THREAD * self._threads(),
            cache_dir=cache_dir,
            workers=workers,
            progress=progress,
        )

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
        """See `training.engines.dask_train.fit_booster_dask`; one row block per worker."""
        return fit_booster_dask(
            self.client,
            train,
            valid,
            feature_names=feature_names,
            monotone=monotone,
            config=config,
            device=device,
            chunks=max(1, len(self._nthreads())),
        )


@contextmanager
def _quiet_distributed() -> Iterator[None]:
    """Keep Dask's per-task INFO lines (cluster start, key cancels, worker retirement) out of
    the command's output; warnings and errors still show."""
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


@contextmanager
def dask_engine(config: DaskConfig) -> Iterator[DaskEngine]:
    """A DaskEngine on `config.scheduler`, or on a LocalCluster closed when the block ends."""
    with ExitStack() as stack:
        stack.enter_context(_quiet_distributed())
        if config.scheduler is not None:
            try:
                client = Client(  # type: ignore[no-untyped-call]
                    config.scheduler, timeout=config.connect_timeout
                )
            except (OSError, TimeoutError) as exc:
                raise EngineError(
                    f"cannot reach Dask scheduler {config.scheduler} ({exc})"
                ) from exc
            stack.enter_context(client)
        else:
            cluster = stack.enter_context(
                LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=config.workers,
                    threads_per_worker=config.threads,
                    processes=config.processes,
                    # No dashboard (bokeh is not a dependency); the scheduler's small HTTP
                    # endpoint still starts, so bind it to a free loopback port instead of
                    # 8787, which a second cluster on the machine would find taken.
                    dashboard_address="127.0.0.1:0",
                )
            )
            client = stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
        yield DaskEngine(client)
