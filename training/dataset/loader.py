"""Load and validate a dataset directory (DESIGN.md section 3) into one immutable `Dataset`."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from training.cli_args import some_of
from training.dataset.accounts import ACCOUNTS_FILE, read_accounts
from training.dataset.errors import DatasetError
from training.dataset.outcomes import LABELS_FILE, SNAPSHOTS_FILE, read_labels, read_snapshots
from training.dataset.transactions import read_transactions, transactions_path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Dataset:
    """A validated dataset directory. `documents` lists each account's PDF files (sorted);
    `labels` and `snapshots` are None when their file is absent; `dropped_labels` counts
    labels.csv rows left out for naming an account not in accounts.jsonl."""

    path: Path
    accounts: Mapping[str, dict[str, Any]]
    transactions: pd.DataFrame
    documents: Mapping[str, tuple[Path, ...]]
    labels: pd.DataFrame | None
    snapshots: pd.DataFrame | None
    dropped_labels: int = 0

    def scoring_snapshots(self, now: int | None = None) -> pd.DataFrame:
        """snapshots.csv when given; otherwise each account as of its newest transaction + 1 s,
        so that transaction is seen (a snapshot sees `created < as_of`), or `now` (default: the
        current time) when it has none. One row per account, in accounts.jsonl order."""
        if self.snapshots is not None:
            return self.snapshots
        newest = self.transactions.groupby("account")["created"].max() + 1
        current = int(time.time()) if now is None else now
        ids = list(self.accounts)
        as_of = newest.reindex(ids).fillna(current).to_numpy(dtype=np.int64)
        return pd.DataFrame({"account": pd.Series(ids, dtype="str"), "as_of": as_of})


def _documents(directory: Path, accounts: Mapping[str, Any]) -> dict[str, tuple[Path, ...]]:
    root = directory / "documents"
    if not root.is_dir():
        return {}
    found: dict[str, tuple[Path, ...]] = {}
    left_out: list[str] = []  # relative paths, said once in a warning
    for entry in sorted(root.iterdir()):
        # Folders of accounts absent from accounts.jsonl are not part of the dataset.
        if not (entry.is_dir() and entry.name in accounts):
            left_out.append(f"{entry.name}{'/' if entry.is_dir() else ''}")
            continue
        files = []
        for path in sorted(entry.iterdir()):
            if path.is_file() and path.suffix.lower() == ".pdf":
                files.append(path)
            else:
                left_out.append(f"{entry.name}/{path.name}")
        if files:
            found[entry.name] = tuple(files)
    if left_out:
        log.warning(
            "documents/: %d entries are not ACCOUNT_ID/*.pdf of an account in accounts.jsonl "
            "and are left out: %s",
            len(left_out),
            some_of(left_out),
        )
    return found


def load_dataset(path: str | Path) -> Dataset:
    """Read and validate every file of a dataset directory.

    Raises DatasetError (naming file, row and column) on anything the contract forbids: a
    missing accounts.jsonl or transactions file, missing columns, values of the wrong type,
    unknown transaction types or statuses, malformed JSON lines, unknown accounts (except in
    labels.csv, whose rows for unknown accounts are dropped with a warning and counted).
    """
    directory = Path(path)
    if not directory.is_dir():
        raise DatasetError(str(directory), "not a directory")
    accounts = read_accounts(directory / ACCOUNTS_FILE)
    source = transactions_path(directory)
    if source is None:
        raise DatasetError("transactions.csv", "file not found (nor transactions.parquet)")
    transactions = read_transactions(source, accounts)
    labels_path, snapshots_path = directory / LABELS_FILE, directory / SNAPSHOTS_FILE
    labels, dropped = read_labels(labels_path, accounts) if labels_path.is_file() else (None, 0)
    return Dataset(
        path=directory,
        accounts=accounts,
        transactions=transactions,
        documents=_documents(directory, accounts),
        labels=labels,
        snapshots=read_snapshots(snapshots_path, accounts) if snapshots_path.is_file() else None,
        dropped_labels=dropped,
    )
