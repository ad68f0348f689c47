"""The pandas engine: features and booster in this process (the reference the others match)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import xgboost as xgb

from training.dataset import Dataset
from training.steps.featurize import featurize_snapshots
from training.steps.train import TrainConfig, fit_booster


class PandasEngine:
    """Features with `compute_batch` over every snapshot at once; `xgboost.train` in-process."""

    name = "pandas"

    def featurize(
        self,
        dataset: Dataset,
        snapshots: pd.DataFrame,
        *,
        cache_dir: Path | None,
        workers: int | None,
        progress: bool,
    ) -> pd.DataFrame:
        """See `training.steps.featurize.featurize_snapshots`."""
        return featurize_snapshots(
            dataset, snapshots, cache_dir=cache_dir, workers=workers, progress=progress
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
        """See `training.steps.train.fit_booster`."""
        return fit_booster(
            train,
            valid,
            feature_names=feature_names,
            monotone=monotone,
            config=config,
            device=device,
        )
