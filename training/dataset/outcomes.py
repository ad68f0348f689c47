"""Read labels.csv and snapshots.csv, the optional outcome and which-snapshot files."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pandas as pd

from training.dataset.columns import (
    as_text,
    fail_at,
    integers,
    known_accounts,
    one_of,
    require_columns,
)
from training.dataset.errors import DatasetError

LABELS_FILE = "labels.csv"
SNAPSHOTS_FILE = "snapshots.csv"


def _read(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise DatasetError(path.name, f"cannot be read ({exc})") from None


def read_labels(path: Path, accounts: Collection[str]) -> pd.DataFrame:
    """account, label (0/1 int64), labeled_at (int64) and reason ("" when absent); one row per
    account."""
    frame = _read(path)
    require_columns(LABELS_FILE, frame, ("account", "label", "labeled_at"))
    account = known_accounts(LABELS_FILE, frame, "account", accounts)
    fail_at(LABELS_FILE, frame, "account", ~account.duplicated().to_numpy(), "labelled twice")
    label = one_of(LABELS_FILE, frame, "label", ("0", "1")).astype("int64")
    return pd.DataFrame(
        {
            "account": account,
            "label": label,
            "labeled_at": integers(LABELS_FILE, frame, "labeled_at", minimum=0),
            "reason": as_text(frame, "reason") if "reason" in frame.columns else "",
        }
    ).reset_index(drop=True)


def read_snapshots(path: Path, accounts: Collection[str]) -> pd.DataFrame:
    """account, as_of (int64): the (account, as_of) pairs to score or train on."""
    frame = _read(path)
    require_columns(SNAPSHOTS_FILE, frame, ("account", "as_of"))
    if frame.empty:
        raise DatasetError(SNAPSHOTS_FILE, "no snapshots (delete the file to use the default)")
    return pd.DataFrame(
        {
            "account": known_accounts(SNAPSHOTS_FILE, frame, "account", accounts),
            "as_of": integers(SNAPSHOTS_FILE, frame, "as_of", minimum=0),
        }
    ).reset_index(drop=True)
