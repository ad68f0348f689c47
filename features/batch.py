"""Features of many (account, as_of) snapshots at once: the path training and batch scoring use.

`feature_columns` is the single implementation; `features.vector.compute` calls it with one
snapshot, so the online vector of an account equals its batch row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from features.account import account_feature_rows
from features.documents import DocumentEvidence, document_features
from features.links import NetworkIndex, link_features
from features.registry import FEATURE_NAMES
from features.transactions import TransactionTable, build_table, transaction_features
from features.transactions.bounds import snapshot_bounds

# The column of every feature when there are no snapshots (shared, so never written).
_NO_SNAPSHOTS = np.empty(0)
_NO_SNAPSHOTS.setflags(write=False)


def _per_snapshot(rows: list[dict[str, float]], names: Sequence[str]) -> dict[str, np.ndarray]:
    matrix = np.array([[row[name] for name in names] for row in rows], dtype=np.float64)
    matrix = matrix.reshape(len(rows), len(names))
    return {name: matrix[:, i] for i, name in enumerate(names)}


def feature_columns(
    account_ids: Sequence[str],
    accounts: Sequence[Mapping[str, Any]],
    evidence: Sequence[Sequence[DocumentEvidence]],
    table: TransactionTable,
    as_of: np.ndarray,
    network: NetworkIndex | None,
) -> dict[str, np.ndarray]:
    """Every registered feature for the snapshots `(account_ids[i], as_of[i])`, as float64 arrays
    in registry order. `accounts[i]` and `evidence[i]` are that snapshot's Account object and
    parsed documents; `table` holds (at least) the snapshots' transactions."""
    as_of = np.asarray(as_of, dtype=np.int64)
    bounds = snapshot_bounds(table, account_ids, as_of)
    account_rows = account_feature_rows(accounts, as_of)
    document_rows = [
        document_features(a, e, int(t)) for a, e, t in zip(accounts, evidence, as_of, strict=True)
    ]
    columns = _per_snapshot(account_rows, list(account_rows[0]) if account_rows else [])
    columns |= _per_snapshot(document_rows, list(document_rows[0]) if document_rows else [])
    home = [account.get("country") for account in accounts]
    columns |= transaction_features(table, account_ids, as_of, home, bounds=bounds)
    columns |= link_features(network, account_ids, accounts, evidence, table, bounds)
    missing = [name for name in FEATURE_NAMES if name not in columns]
    if missing and len(as_of):
        raise RuntimeError(f"registered features not computed: {', '.join(missing)}")
    return {name: columns.get(name, _NO_SNAPSHOTS) for name in FEATURE_NAMES}


def compute_batch(
    accounts: Mapping[str, Mapping[str, Any]],
    evidence_by_account: Mapping[str, Sequence[DocumentEvidence]],
    transactions: pd.DataFrame | TransactionTable,
    snapshots: pd.DataFrame,
    *,
    network: NetworkIndex | None = None,
) -> pd.DataFrame:
    """One row per snapshot (`snapshots` has columns account, as_of): account, as_of, then every
    registered feature in registry order. Rows keep the order of `snapshots`.

    `transactions` is the contract's frame or a table already built from it with
    `build_table`; without `network` the link features are NaN.
    """
    missing = {"account", "as_of"} - set(snapshots.columns)
    if missing:
        raise ValueError(f"snapshots lack column(s): {', '.join(sorted(missing))}")
    ids = [str(account) for account in snapshots["account"]]
    unknown = next((account for account in ids if account not in accounts), None)
    if unknown is not None:
        raise ValueError(f"snapshot account {unknown!r} has no Account object")
    table = (
        transactions if isinstance(transactions, TransactionTable) else build_table(transactions)
    )
    as_of = snapshots["as_of"].to_numpy(dtype=np.int64)
    columns = feature_columns(
        ids,
        [accounts[account] for account in ids],
        [tuple(evidence_by_account.get(account, ())) for account in ids],
        table,
        as_of,
        network,
    )
    frame = pd.DataFrame(columns, columns=list(FEATURE_NAMES))
    frame.insert(0, "as_of", as_of)
    frame.insert(0, "account", pd.Series(ids, dtype=object))
    return frame
