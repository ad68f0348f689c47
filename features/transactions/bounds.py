"""Which rows of a transaction table each snapshot sees, and over which time windows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from features.transactions.table import TransactionTable, lookup

DAY = 86_400
# Window name -> length in seconds; "all" is the whole history before as_of. The 120-day
# window only serves as the "earlier" period of growth features.
WINDOWS = {"1d": DAY, "7d": 7 * DAY, "30d": 30 * DAY, "120d": 120 * DAY}


@dataclass(frozen=True)
class SnapshotBounds:
    """Row ranges per snapshot: the account's rows are `start:stop`; the ones before as_of are
    `start:hi`; window w keeps `lo[w]:hi` (rows with `as_of - w <= created < as_of`)."""

    as_of: np.ndarray
    code: np.ndarray
    start: np.ndarray
    hi: np.ndarray
    lo: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.as_of)


@dataclass(frozen=True)
class WindowTotals:
    """Per-snapshot totals of several per-row integer columns over every window.

    Integer running sums are exact, so a window's total is the same whichever larger table
    its rows sit in (the single-account and batch paths agree bit for bit).
    """

    columns: dict[str, int]
    totals: dict[str, np.ndarray]

    def __call__(self, column: str, window: str) -> np.ndarray:
        """Total of `column` over `window` ("1d", "7d", "30d", "120d" or "all") per snapshot."""
        return self.totals[window][:, self.columns[column]]


def window_totals(bounds: SnapshotBounds, columns: dict[str, np.ndarray]) -> WindowTotals:
    """Sum each column over each snapshot's windows with one running sum over all columns."""
    n = len(next(iter(columns.values()))) if columns else 0
    # Column-major: each column's running sum runs over contiguous memory.
    stacked = np.zeros((n + 1, len(columns)), dtype=np.int64, order="F")
    for j, values in enumerate(columns.values()):
        stacked[1:, j] = values
    np.cumsum(stacked, axis=0, out=stacked)
    at_hi = stacked[bounds.hi]
    totals = {window: at_hi - stacked[lo] for window, lo in bounds.lo.items()}
    return WindowTotals({name: j for j, name in enumerate(columns)}, totals)


def snapshot_bounds(
    table: TransactionTable, accounts: Sequence[str] | np.ndarray, as_of: np.ndarray
) -> SnapshotBounds:
    """Locate every (account, as_of) snapshot in `table` with vectorised binary searches.

    A snapshot sees only rows with `created < as_of`. Accounts without transactions get empty
    ranges.
    """
    as_of = np.asarray(as_of, dtype=np.int64)
    if len(table) == 0:
        # Nothing to search (an onboarding score): every range is empty, at row 0.
        empty = np.zeros(len(as_of), dtype=np.int64)
        empty.setflags(write=False)
        unknown = np.full(len(as_of), -1, dtype=np.int64)
        lo = dict.fromkeys((*WINDOWS, "all"), empty)
        return SnapshotBounds(as_of=as_of, code=unknown, start=empty, hi=empty, lo=lo)
    code = lookup(table.account_codes, accounts)
    known = code >= 0
    safe = np.where(known, code, 0)
    start = np.where(known, table.block[safe], 0)

    def first_at(times: np.ndarray) -> np.ndarray:
        found = np.searchsorted(table.row_key, table.sort_key(safe, times), side="left")
        return np.where(known, found, 0).astype(np.int64)

    hi = first_at(as_of)
    lo = {name: np.maximum(first_at(as_of - span), start) for name, span in WINDOWS.items()}
    lo["all"] = start
    return SnapshotBounds(as_of=as_of, code=code, start=start, hi=hi, lo=lo)
