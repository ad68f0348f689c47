"""The transactions frame the online path hands to `features.compute`, built column by column,
is the frame `DataFrame.from_records` built before: same columns, dtypes and values."""

from __future__ import annotations

import pandas as pd
import pytest

from features.transactions.table import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from service.db.models import Transaction
from service.usecases.score_account import _frame

COLUMNS = [*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS]


def _records_frame(rows: list[Transaction]) -> pd.DataFrame:
    records = [
        {c: getattr(row, "account_id" if c == "account" else c) for c in COLUMNS} for row in rows
    ]
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def _row(i: int, **overrides: object) -> Transaction:
    values: dict[str, object] = {
        "id": f"txn_{i}",
        "account_id": "acct_1Frame",
        "created": 1_760_000_000 + i,
        "type": "charge",
        "amount": 1_000 + i,
        "currency": "usd",
        "status": "succeeded",
        "card_country": "US",
        "card_fingerprint": f"fp{i % 3}",
        "customer": None,
        "failure_code": None,
    }
    values.update(overrides)
    return Transaction(**values)


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [_row(0)],
        [_row(i) for i in range(20)],
        [_row(0, customer="cus_1", failure_code="card_declined", status="failed"), _row(1)],
    ],
    ids=["empty", "one", "twenty", "mixed-nulls"],
)
def test_frame_equals_from_records(rows: list[Transaction]) -> None:
    built, expected = _frame(rows), _records_frame(rows)
    assert list(built.columns) == COLUMNS
    pd.testing.assert_frame_equal(built, expected)
