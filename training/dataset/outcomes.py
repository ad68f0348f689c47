"""Read labels.csv and snapshots.csv, the optional outcome and which-snapshot files."""

from __future__ import annotations

import logging
from collections.abc import Collection
from pathlib import Path

import numpy as np
import pandas as pd

from training.dataset.columns import (
    as_text,
    fail_at,
    first_bad,
    known_accounts,
    one_of,
    require_columns,
    unix_seconds,
)
from training.dataset.encoding import csv_encoding_error
from training.dataset.errors import DatasetError

LABELS_FILE = "labels.csv"
SNAPSHOTS_FILE = "snapshots.csv"

log = logging.getLogger(__name__)


def _read(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        # The readers locate a bad byte by file or block offset; name its row instead.
        located = csv_encoding_error(path) if path.suffix == ".csv" else None
        raise (located or DatasetError(path.name, f"cannot be read ({exc})")) from None


def read_labels(path: Path, accounts: Collection[str]) -> tuple[pd.DataFrame, int]:
    """account, label (0/1 int64), labeled_at (int64) and reason ("" when absent); one row per
    account, and how many rows were dropped for naming an account not in accounts.jsonl.

    Every row is validated first (so errors name the file's own row numbers); rows of unknown
    accounts are then dropped with a warning, since the rest can still train a model (a label
    export often covers more accounts than a dataset extract).
    """
    frame = _read(path)
    require_columns(LABELS_FILE, frame, ("account", "label", "labeled_at"))
    account = as_text(frame, "account")
    fail_at(LABELS_FILE, frame, "account", ~account.duplicated().to_numpy(), "labelled twice")
    label = one_of(LABELS_FILE, frame, "label", ("0", "1")).astype("int64")
    out = pd.DataFrame(
        {
            "account": account,
            "label": label,
            "labeled_at": unix_seconds(LABELS_FILE, frame, "labeled_at"),
            "reason": as_text(frame, "reason") if "reason" in frame.columns else "",
        }
    )
    known = account.isin(list(accounts)).to_numpy()
    dropped = int((~known).sum())
    if dropped:
        first = first_bad(known)
        log.warning(
            "%s: %d of %d rows name an account not in accounts.jsonl (first: row %d); "
            "they are left out",
            LABELS_FILE,
            dropped,
            len(frame),
            (first or 0) + 1,
        )
    return out[known].reset_index(drop=True), dropped


def read_snapshots(path: Path, accounts: Collection[str]) -> pd.DataFrame:
    """account, as_of (int64): the (account, as_of) pairs to score or train on, each once."""
    frame = _read(path)
    require_columns(SNAPSHOTS_FILE, frame, ("account", "as_of"))
    if frame.empty:
        raise DatasetError(SNAPSHOTS_FILE, "no snapshots (delete the file to use the default)")
    out = pd.DataFrame(
        {
            "account": known_accounts(SNAPSHOTS_FILE, frame, "account", accounts),
            "as_of": unix_seconds(SNAPSHOTS_FILE, frame, "as_of"),
        }
    ).reset_index(drop=True)
    # A repeated pair would count one example twice in training and in scores.csv.
    repeated = np.flatnonzero(out.duplicated(["account", "as_of"]).to_numpy())
    if len(repeated):
        row = int(repeated[0])
        account, as_of = out.at[row, "account"], out.at[row, "as_of"]
        same = (out["account"] == account) & (out["as_of"] == as_of)
        first = int(np.flatnonzero(same.to_numpy())[0])
        raise DatasetError(
            SNAPSHOTS_FILE, f"snapshot ({account}, {as_of}) repeats row {first + 1}", row=row + 1
        )
    return out
