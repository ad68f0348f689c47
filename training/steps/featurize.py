"""Features for chosen snapshots, through the batch feature job's parser and evidence cache."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from features import build_network, build_table, compute_batch
from training.dataset import Dataset
from training.featurize import parse_dataset_documents


def featurize_snapshots(
    dataset: Dataset,
    snapshots: pd.DataFrame,
    *,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """The feature table of `snapshots` (account, as_of, ...): parse documents once (cached),
    build the point-in-time network and compute every registered feature.

    Args:
        dataset: the loaded dataset directory.
        snapshots: a frame with account and as_of, plus any columns to keep.
        cache_dir: evidence cache directory shared with `connect-risk features`.
        workers: document parser processes.
        progress: show progress bars.

    Returns:
        A new frame: `snapshots`' columns followed by every registered feature, same row order.
    """
    report = parse_dataset_documents(
        dataset, workers=workers, cache_dir=cache_dir, progress=progress
    )
    table = build_table(dataset.transactions)
    network = build_network(table, dataset.accounts, report.by_account, dataset.labels)
    keys = snapshots[["account", "as_of"]].reset_index(drop=True)
    features = compute_batch(dataset.accounts, report.by_account, table, keys, network=network)
    extra = snapshots.drop(columns=["account", "as_of"]).reset_index(drop=True)
    return pd.concat([features.iloc[:, :2], extra, features.iloc[:, 2:]], axis=1)
