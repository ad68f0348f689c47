"""Transaction-pattern features: one vectorised implementation for one snapshot or millions.

`build_table` encodes a transactions frame once; `transaction_features` then computes every
feature for any number of (account, as_of) snapshots from integer running sums and per-snapshot
segments, so a single-account call and a batch call give bit-identical values.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from features.spec import FeatureSpec
from features.transactions.activity import ACTIVITY_FEATURES, activity_columns, activity_features
from features.transactions.bounds import SnapshotBounds, snapshot_bounds, window_totals
from features.transactions.patterns import PATTERN_FEATURES, pattern_columns, pattern_features
from features.transactions.table import TransactionTable, build_table, table_from_records

TRANSACTION_FEATURES: tuple[FeatureSpec, ...] = (*ACTIVITY_FEATURES, *PATTERN_FEATURES)


def transaction_features(
    table: TransactionTable,
    accounts: Sequence[str] | np.ndarray,
    as_of: Sequence[int] | np.ndarray,
    home_country: Sequence[str | None] | np.ndarray,
    *,
    bounds: SnapshotBounds | None = None,
) -> dict[str, np.ndarray]:
    """Every transaction feature for each snapshot `(accounts[i], as_of[i])`, as float64 arrays.

    Only rows with `created < as_of` count. `home_country[i]` is the account's business country
    (for the foreign-card share). Pass `bounds` when they were already located for `table`.
    """
    if len(table) == 0:
        # No transactions at all (an account's first score, at onboarding): every snapshot
        # has the values of "nothing observed", whatever its instant or country. They come
        # from the same code, run once per process.
        observed = _nothing_observed()
        matrix = np.repeat(np.array([list(observed.values())]), len(accounts), axis=0)
        return dict(zip(observed, matrix.T, strict=True))
    return _computed(table, accounts, as_of, home_country, bounds)


def _computed(
    table: TransactionTable,
    accounts: Sequence[str] | np.ndarray,
    as_of: Sequence[int] | np.ndarray,
    home_country: Sequence[str | None] | np.ndarray,
    bounds: SnapshotBounds | None,
) -> dict[str, np.ndarray]:
    if bounds is None:
        bounds = snapshot_bounds(table, accounts, np.asarray(as_of, dtype=np.int64))
    home = np.asarray(home_country, dtype=object)
    columns = activity_columns(table) | pattern_columns(table, bounds, home)
    total = window_totals(bounds, columns)
    return activity_features(table, bounds, total) | pattern_features(table, bounds, total, home)


@functools.cache
def _nothing_observed() -> dict[str, float]:
    values = _computed(table_from_records([]), ["acct_none"], [0], [None], None)
    return {name: float(column[0]) for name, column in values.items()}


__all__ = [
    "TRANSACTION_FEATURES",
    "SnapshotBounds",
    "TransactionTable",
    "build_table",
    "snapshot_bounds",
    "table_from_records",
    "transaction_features",
]
