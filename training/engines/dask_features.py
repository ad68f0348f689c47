"""Features on a Dask cluster: snapshots partitioned by account, each partition computed by
the same `features.compute_batch` the pandas engine calls.

A partition carries its accounts' Account objects, parsed documents, transactions and
snapshots, so a worker needs nothing else but the link-network index, which spans every
account and is built once here and broadcast. Every feature of a snapshot reads only its own
account's data and the network, so the partitioned table equals the single-process one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from math import floor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from distributed import Client, as_completed
from tqdm import tqdm

from features import NetworkIndex, compute_batch
from features.documents import DocumentEvidence
from training.dataset import Dataset
from training.steps.featurize import feature_inputs, with_snapshot_columns
from training.steps.split import account_position


@dataclass(frozen=True)
class Partition:
    """The snapshots of some accounts (index: their rows in the full snapshot frame) and every
    per-account input their features read."""

    accounts: dict[str, dict[str, Any]]
    evidence: dict[str, tuple[DocumentEvidence, ...]]
    transactions: pd.DataFrame
    snapshots: pd.DataFrame


def partition_of(accounts: pd.Series, parts: int) -> np.ndarray:
    """Each account's partition in [0, parts): stable across runs and machines (a hash of the
    id, not Python's salted `hash`), so one account's snapshots always land together."""
    positions = {a: floor(account_position(a) * parts) for a in accounts.astype(str).unique()}
    return np.asarray(accounts.astype(str).map(positions), dtype=np.int64)


def make_partitions(
    dataset: Dataset,
    evidence: Mapping[str, tuple[DocumentEvidence, ...]],
    keys: pd.DataFrame,
    parts: int,
) -> list[Partition]:
    """Split `keys` (account, as_of; default index) and the dataset into `parts` partitions by
    account; partitions without snapshots are left out."""
    where = partition_of(keys["account"], parts)
    owner = dict(zip(keys["account"].astype(str), where, strict=True))
    transactions = dataset.transactions
    tx_part = transactions["account"].astype(str).map(owner).fillna(-1).to_numpy(np.int64)
    out: list[Partition] = []
    for part in range(parts):
        chosen = keys[where == part]
        if chosen.empty:
            continue
        ids = dict.fromkeys(chosen["account"].astype(str))
        out.append(
            Partition(
                accounts={a: dict(dataset.accounts[a]) for a in ids},
                evidence={a: tuple(evidence[a]) for a in ids if a in evidence},
                transactions=transactions[tx_part == part],
                snapshots=chosen,
            )
        )
    return out


def partition_features(partition: Partition, network: NetworkIndex) -> pd.DataFrame:
    """One partition's feature rows, indexed by their rows in the full snapshot frame."""
    frame = compute_batch(
        partition.accounts,
        partition.evidence,
        partition.transactions,
        partition.snapshots.reset_index(drop=True),
        network=network,
    )
    frame.index = partition.snapshots.index
    return frame


def featurize_on_cluster(
    client: Client,
    dataset: Dataset,
    snapshots: pd.DataFrame,
    *,
    parts: int,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """`featurize_snapshots`' table, with the per-snapshot work spread over `client`'s workers.

    Documents are parsed (and cached) here first, as for the pandas engine: parsing has its
    own process pool and cache, and the network index needs every account's documents.
    """
    inputs = feature_inputs(dataset, cache_dir=cache_dir, workers=workers, progress=progress)
    keys = snapshots[["account", "as_of"]].reset_index(drop=True)
    if keys.empty:
        empty = compute_batch(dataset.accounts, {}, inputs.table, keys, network=inputs.network)
        return with_snapshot_columns(snapshots, empty)
    partitions = make_partitions(dataset, inputs.evidence, keys, parts)
    # Scattered, not embedded in the task graph: large inputs travel once, and the network
    # (read by every partition) is copied to each worker a single time.
    network = client.scatter(inputs.network, broadcast=True, hash=False)  # type: ignore[no-untyped-call]
    scattered = client.scatter(partitions, hash=False)  # type: ignore[no-untyped-call]
    futures = [client.submit(partition_features, p, network, pure=False) for p in scattered]
    pieces: list[pd.DataFrame] = []
    with tqdm(total=len(futures), desc="features", unit="part", disable=not progress) as bar:
        for future in as_completed(futures, loop=client.loop):  # type: ignore[no-untyped-call]
            pieces.append(future.result())
            bar.update()
    return with_snapshot_columns(snapshots, pd.concat(pieces).sort_index())
