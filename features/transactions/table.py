"""Transactions as sorted, encoded numpy arrays: the one input every transaction feature reads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, Protocol

import numpy as np
import pandas as pd

from features.transactions.currency import normalise_amounts
from features.transactions.keys import KeyOccurrences, key_occurrences

REQUIRED_COLUMNS = ("account", "created", "type", "amount", "currency", "status")
OPTIONAL_COLUMNS = ("card_country", "card_fingerprint", "customer", "failure_code")

# Event classes: one small int per row instead of (type, status) strings.
CHARGE_OK, CHARGE_FAILED, REFUND_OK, DISPUTE, PAYOUT_OK, PAYOUT_FAILED, OTHER = range(7)
_EVENT = {
    ("charge", "succeeded"): CHARGE_OK,
    ("charge", "failed"): CHARGE_FAILED,
    ("refund", "succeeded"): REFUND_OK,
    ("payout", "paid"): PAYOUT_OK,
    ("payout", "pending"): PAYOUT_OK,
    ("payout", "failed"): PAYOUT_FAILED,
}

FAILURE_GROUPS = ("fraud", "card_data", "funds", "other")
_FAILURE_GROUP = {
    **dict.fromkeys(
        (
            "fraudulent",
            "stolen_card",
            "lost_card",
            "pickup_card",
            "merchant_blacklist",
            "restricted_card",
            "security_violation",
            "stop_payment_order",
            "revocation_of_authorization",
            "revocation_of_all_authorizations",
        ),
        0,
    ),
    **dict.fromkeys(
        (
            "incorrect_number",
            "invalid_number",
            "incorrect_cvc",
            "invalid_cvc",
            "expired_card",
            "invalid_expiry_month",
            "invalid_expiry_year",
            "incorrect_zip",
            "invalid_account",
            "card_velocity_exceeded",
            "testmode_decline",
        ),
        1,
    ),
    **dict.fromkeys(("insufficient_funds", "withdrawal_count_limit_exceeded"), 2),
}

# Up to this many records, `table_from_records` encodes without pandas.
RECORDS_WITHOUT_PANDAS = 256

_TIME_BITS = 36  # created - base must fit: about 2,000 years of seconds


@dataclass(frozen=True)
class TransactionTable:
    """Transactions sorted by (account, created), strings encoded as int codes (-1 = none).

    Rows of the account with code k are `block[k]:block[k + 1]`; `accounts[k]` is its id and
    `account_codes` maps ids back to codes.
    """

    accounts: np.ndarray
    account_codes: dict[str, int]
    block: np.ndarray
    account: np.ndarray
    created: np.ndarray
    event: np.ndarray
    units: np.ndarray
    is_round: np.ndarray
    card_country: np.ndarray
    card_countries: np.ndarray
    card: np.ndarray
    cards: np.ndarray
    customer: np.ndarray
    customers: np.ndarray
    failure_group: np.ndarray
    base: int

    def __len__(self) -> int:
        return len(self.created)

    def sort_key(self, account_codes: np.ndarray, times: np.ndarray) -> np.ndarray:
        """The (account, time) key rows are sorted by, for searchsorted window bounds."""
        offset = np.clip(times - self.base, 0, (1 << _TIME_BITS) - 1)
        return np.asarray((account_codes.astype(np.int64) << _TIME_BITS) | offset, np.int64)

    @cached_property
    def row_key(self) -> np.ndarray:
        """Every row's sort key (ascending)."""
        return self.sort_key(self.account, self.created)

    @cached_property
    def charges(self) -> np.ndarray:
        """Rows that are charges, succeeded or failed."""
        return np.asarray((self.event == CHARGE_OK) | (self.event == CHARGE_FAILED), bool)

    @cached_property
    def card_keys(self) -> KeyOccurrences:
        """Occurrences of card fingerprints on charges."""
        return key_occurrences(self.account, self.card, self.charges)

    @cached_property
    def customer_keys(self) -> KeyOccurrences:
        """Occurrences of customers on charges."""
        return key_occurrences(self.account, self.customer, self.charges)

    @cached_property
    def card_country_keys(self) -> KeyOccurrences:
        """Occurrences of card issuing countries on charges."""
        return key_occurrences(self.account, self.card_country, self.charges)


def lookup(codes: Mapping[str, int], values: Iterable[object]) -> np.ndarray:
    """The code of each value (-1 when absent), as int64. Plain dict lookups: on the few values
    of a single account they cost microseconds, and on a whole dataset well under a second."""
    return np.fromiter((codes.get(value, -1) for value in values), dtype=np.int64)  # type: ignore[call-overload]


def vocabulary(values: Iterable[str]) -> dict[str, int]:
    """`{value: position}` of distinct values: the inverse of a uniques array."""
    return {value: code for code, value in enumerate(values)}


class _Columns(Protocol):
    """Where `_assemble` reads a transactions input: a pandas frame or a few records."""

    def __len__(self) -> int: ...

    def has(self, column: str) -> bool: ...

    def integers(self, column: str) -> np.ndarray: ...

    def factorize(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(codes, uniques) in order of first appearance; missing values get code -1."""
        ...


class _FrameColumns:
    """A contract frame, encoded column-wise (Arrow or pandas): fast on millions of rows."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def __len__(self) -> int:
        return len(self.frame)

    def has(self, column: str) -> bool:
        return column in self.frame.columns

    def integers(self, column: str) -> np.ndarray:
        return np.asarray(self.frame[column].to_numpy(dtype=np.int64))

    def factorize(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        array = self.frame[column].array
        if hasattr(array, "__arrow_array__"):
            # Arrow-backed strings (pandas' default): encode in Arrow, without first turning
            # every value into a Python object.
            encoded = array.__arrow_array__().dictionary_encode().combine_chunks()
            indices = encoded.indices
            if indices.null_count:
                indices = indices.fill_null(-1)
            uniques = encoded.dictionary.to_numpy(zero_copy_only=False).astype(object)
            return indices.to_numpy().astype(np.int64), uniques
        codes, uniques = pd.factorize(self.frame[column].to_numpy(dtype=object, na_value=None))
        return codes.astype(np.int64), np.asarray(uniques, dtype=object)


class _RecordColumns:
    """A few rows as mappings (one account's, read from a database): plain dict encoding,
    without the fixed cost of building a DataFrame, which dominates at this size."""

    def __init__(self, records: Sequence[Mapping[str, Any]]) -> None:
        self.records = records

    def __len__(self) -> int:
        return len(self.records)

    def has(self, column: str) -> bool:
        return column in REQUIRED_COLUMNS or any(column in record for record in self.records)

    def integers(self, column: str) -> np.ndarray:
        return np.array([int(record[column]) for record in self.records], dtype=np.int64)

    def factorize(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        seen: dict[object, int] = {}
        codes = np.empty(len(self.records), dtype=np.int64)
        for i, record in enumerate(self.records):
            value = record.get(column)
            if value is None or value != value:  # None and NaN are missing
                codes[i] = -1
            else:
                codes[i] = seen.setdefault(value, len(seen))
        uniques = np.empty(len(seen), dtype=object)
        uniques[:] = list(seen)
        return codes, uniques


def _codes(columns: _Columns, column: str, *, upper: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Factorise a string column; NaN, None and "" become -1."""
    if not columns.has(column):
        return np.full(len(columns), -1, dtype=np.int64), np.array([], dtype=object)
    codes, uniques = columns.factorize(column)
    blank = np.flatnonzero(uniques == "")
    if len(blank):
        codes = np.where(codes == blank[0], -1, codes)
    if upper:
        uniques = np.array([str(value).upper() for value in uniques], dtype=object)
    return codes, uniques


def _events(columns: _Columns) -> np.ndarray:
    type_codes, types = _codes(columns, "type")
    status_codes, statuses = _codes(columns, "status")
    # (type code, status code) -> event; the extra last row and column catch code -1.
    events = np.full((len(types) + 1, len(statuses) + 1), OTHER, dtype=np.int8)
    for i, kind in enumerate(types):
        if kind == "dispute":
            events[i, :] = DISPUTE  # every dispute counts, whatever its (final) status
        for j, status in enumerate(statuses):
            events[i, j] = _EVENT.get((kind, status), events[i, j])
    return np.asarray(events[type_codes, status_codes], np.int8)


def _failure_groups(columns: _Columns, event: np.ndarray) -> np.ndarray:
    codes, names = _codes(columns, "failure_code")
    group = np.array([_FAILURE_GROUP.get(str(name), 3) for name in names] + [3], dtype=np.int8)
    out = group[np.where(codes < 0, len(names), codes)]
    return np.where(event == CHARGE_FAILED, out, -1).astype(np.int8)


def build_table(frame: pd.DataFrame) -> TransactionTable:
    """Encode and sort a transactions frame (the dataset contract's columns; extra ones ignored).

    The frame is not modified. Rows without an account are dropped; unknown types or statuses
    are kept but count in no feature. Row order does not matter.
    """
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"transactions frame lacks column(s): {', '.join(missing)}")
    return _assemble(_FrameColumns(frame))


def table_from_records(records: Sequence[Mapping[str, Any]]) -> TransactionTable:
    """`build_table` of rows given as mappings (the contract's keys; optional ones may be
    absent): the same table. One account's rows per request, usually a few: those are encoded
    in plain Python, which skips a DataFrame's fixed cost; many go through pandas, which is
    faster per row (measured crossover: a few hundred rows)."""
    for i, record in enumerate(records):
        missing = [column for column in REQUIRED_COLUMNS if column not in record]
        if missing:
            raise ValueError(f"transaction record {i} lacks key(s): {', '.join(missing)}")
    if not records:
        return _empty_table()
    if len(records) > RECORDS_WITHOUT_PANDAS:
        columns = [*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS]
        return build_table(pd.DataFrame.from_records(records, columns=columns))
    return _assemble(_RecordColumns(records))


@cache
def _empty_table() -> TransactionTable:
    # An account without money movements (every onboarding score): one table per process,
    # its derived keys computed once, instead of 0.2 ms of empty-array work per request.
    return _assemble(_RecordColumns([]))


def _assemble(columns: _Columns) -> TransactionTable:
    account, accounts = _codes(columns, "account")
    created = columns.integers("created")
    amount = columns.integers("amount")
    currency, currencies = _codes(columns, "currency")
    units, is_round = normalise_amounts(amount, currency, currencies)
    event = _events(columns)
    card_country, card_countries = _codes(columns, "card_country", upper=True)
    card, cards = _codes(columns, "card_fingerprint")
    customer, customers = _codes(columns, "customer")
    failure_group = _failure_groups(columns, event)

    keep = account >= 0
    base = int(created[keep].min()) if keep.any() else 0
    if keep.any() and int(created[keep].max()) - base >= (1 << _TIME_BITS) - 1:
        raise ValueError("transactions span more time than the feature code supports")
    key = (account.astype(np.int64) << _TIME_BITS) | np.where(keep, created - base, 0)
    order = np.flatnonzero(keep)[np.argsort(key[keep], kind="stable")]
    sorted_account = account[order]
    block = np.zeros(len(accounts) + 1, dtype=np.int64)
    np.cumsum(np.bincount(sorted_account, minlength=len(accounts)), out=block[1:])
    return TransactionTable(
        accounts=accounts,
        account_codes=vocabulary(accounts),
        block=block,
        account=sorted_account,
        created=created[order],
        event=event[order],
        units=units[order],
        is_round=is_round[order],
        card_country=card_country[order],
        card_countries=card_countries,
        card=card[order],
        cards=cards,
        customer=customer[order],
        customers=customers,
        failure_group=failure_group[order],
        base=base,
    )
