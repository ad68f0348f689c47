"""Features of one account at one instant: the path the scoring API takes on every request."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from features.batch import feature_columns
from features.documents import DocumentEvidence
from features.links import NetworkIndex
from features.registry import FEATURE_NAMES, registry_version
from features.transactions import TransactionTable, build_table
from features.transactions.table import table_from_records

# The registry is fixed at import; hashing its 175 specs on every vector cost 0.1 ms a request.
_REGISTRY_VERSION = registry_version()


@dataclass(frozen=True)
class FeatureVector:
    """One snapshot's features: registry names, float64 values (NaN = not observed) and the
    registry version they were computed under."""

    names: tuple[str, ...]
    values: np.ndarray
    version: str = field(default_factory=lambda: _REGISTRY_VERSION)

    def __post_init__(self) -> None:
        if len(self.names) != len(self.values):
            raise ValueError(f"{len(self.names)} names but {len(self.values)} values")
        self.values.setflags(write=False)

    def __len__(self) -> int:
        return len(self.names)

    def __getitem__(self, name: str) -> float:
        return float(self.values[self.names.index(name)])

    def as_dict(self) -> dict[str, float]:
        """`{name: value}` in registry order."""
        return dict(zip(self.names, self.values.tolist(), strict=True))


def _table(
    transactions: pd.DataFrame | TransactionTable | Iterable[Mapping[str, Any]] | None,
) -> TransactionTable:
    if isinstance(transactions, TransactionTable):
        return transactions
    if isinstance(transactions, pd.DataFrame):
        return build_table(transactions)
    # One account's rows: encoded without building a DataFrame (most of a request's cost).
    return table_from_records(list(transactions or ()))


def compute(
    account: Mapping[str, Any],
    documents: Sequence[DocumentEvidence],
    transactions: pd.DataFrame | TransactionTable | Iterable[Mapping[str, Any]] | None,
    as_of: int,
    *,
    network: NetworkIndex | None = None,
) -> FeatureVector:
    """Every registered feature of `account` as of `as_of` (Unix seconds).

    `documents` are the account's parsed files (DocumentEvidence); `transactions` its money
    movements: a contract frame, records with the contract's keys, or a table already built
    (rows of other accounts and at or after `as_of` are ignored). Without `network`, link
    features are NaN. Equals the account's `compute_batch` row.
    """
    account_id = account.get("id")
    if not isinstance(account_id, str) or not account_id:
        raise ValueError("the Account object has no id")
    columns = feature_columns(
        [account_id],
        [account],
        [tuple(documents)],
        _table(transactions),
        np.array([as_of], dtype=np.int64),
        network,
    )
    values = np.array([columns[name][0] for name in FEATURE_NAMES], dtype=np.float64)
    return FeatureVector(FEATURE_NAMES, values)
