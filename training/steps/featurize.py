"""Features for chosen snapshots, through the batch feature job's parser and evidence cache."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from features import NetworkIndex, TransactionTable, build_network, build_table, compute_batch
from features.documents import DocumentEvidence
from training.dataset import Dataset
from training.featurize import parse_dataset_documents


@dataclass(frozen=True)
class FeatureInputs:
    """What every snapshot's features read besides its own account: parsed documents, the
    encoded transactions and the point-in-time link network over the whole dataset."""

    evidence: Mapping[str, tuple[DocumentEvidence, ...]]
    table: TransactionTable
    network: NetworkIndex


def feature_inputs(
    dataset: Dataset,
    *,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> FeatureInputs:
    """Parse documents once (cached under `cache_dir`), encode transactions and build the
    network; the same for every engine."""
    report = parse_dataset_documents(
        dataset, workers=workers, cache_dir=cache_dir, progress=progress
    )
    table = build_table(dataset.transactions)
    network = build_network(table, dataset.accounts, report.by_account, dataset.labels)
    return FeatureInputs(report.by_account, table, network)


def with_snapshot_columns(snapshots: pd.DataFrame, features: pd.DataFrame) -> pd.DataFrame:
    """account, as_of, `snapshots`' other columns, then the features (row i of `features`
    belongs to row i of `snapshots`)."""
    extra = snapshots.drop(columns=["account", "as_of"]).reset_index(drop=True)
    features = features.reset_index(drop=True)
    return pd.concat([features.iloc[:, :2], extra, features.iloc[:, 2:]], axis=1)


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
    inputs = feature_inputs(dataset, cache_dir=cache_dir, workers=workers, progress=progress)
    keys = snapshots[["account", "as_of"]].reset_index(drop=True)
    features = compute_batch(
        dataset.accounts, inputs.evidence, inputs.table, keys, network=inputs.network
    )
    return with_snapshot_columns(snapshots, features)
