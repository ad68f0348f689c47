"""Features and scores of a dataset's scoring snapshots: the populations drift compares."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from training.dataset import load_dataset
from training.featurize import featurize, parse_dataset_documents
from training.steps.model import RiskModel


def scored_population(
    data_dir: Path,
    model: RiskModel,
    *,
    cache_dir: Path | None = None,
    workers: int | None = None,
) -> pd.DataFrame:
    """Every scoring snapshot of `data_dir` (snapshots.csv, or each account as of its newest
    transaction) with the model's features and its calibrated `score`, through the same
    batch feature job `connect-risk score` uses.

    Returns:
        A new frame: account, as_of, every model feature, score.
    """
    dataset = load_dataset(data_dir)
    evidence = parse_dataset_documents(dataset, workers=workers, cache_dir=cache_dir)
    features = featurize(dataset, evidence.by_account)
    columns = ["account", "as_of", *model.feature_names]
    frame = features.loc[:, columns].copy()
    frame["score"] = model.predict(model.matrix(frame))
    return frame


def split_by_time(
    frame: pd.DataFrame, at: float | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(before, from) `at` by `as_of`; `at` defaults to the median as_of, so one dataset can
    be compared with its own later half when no later dataset is given."""
    if frame.empty:
        raise ValueError("no snapshots to split")
    cut = float(np.median(frame["as_of"])) if at is None else at
    early = frame["as_of"] < cut
    if early.all() or not early.any():
        raise ValueError(f"splitting at as_of {cut} leaves one side empty")
    return frame[early], frame[~early]
