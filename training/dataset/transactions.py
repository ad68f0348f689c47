"""Read transactions.csv (or .parquet), check every row against the contract, type the columns."""

from __future__ import annotations

import logging
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from features.transactions.currency import USD_PER_UNIT
from training.cli_args import some_of
from training.dataset.columns import (
    as_text,
    fail_at,
    integers,
    known_accounts,
    matching,
    one_of,
    require_columns,
    unix_seconds,
)
from training.dataset.encoding import csv_encoding_error
from training.dataset.errors import DatasetError

log = logging.getLogger(__name__)

COLUMNS = (
    "id",
    "account",
    "created",
    "type",
    "amount",
    "currency",
    "status",
    "card_country",
    "card_fingerprint",
    "customer",
    "failure_code",
)
STATUSES = {
    "charge": ("succeeded", "failed"),
    "refund": ("succeeded", "failed"),
    "dispute": ("needs_response", "under_review", "won", "lost"),
    "payout": ("paid", "failed", "pending"),
}


def transactions_path(directory: Path) -> Path | None:
    """transactions.csv, else transactions.parquet, else None."""
    for name in ("transactions.csv", "transactions.parquet"):
        if (directory / name).is_file():
            return directory / name
    return None


def _read(path: Path) -> pd.DataFrame:
    try:
        if path.suffix == ".parquet":
            return pd.read_parquet(path)
        # Arrow's reader is several times faster on large files and rejects ragged lines
        # (the C reader with usecols would silently shift their fields).
        return pd.read_csv(path, dtype=str, keep_default_na=False, engine="pyarrow")
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        # The readers locate a bad byte by file or block offset; name its row instead.
        located = csv_encoding_error(path) if path.suffix == ".csv" else None
        raise (located or DatasetError(path.name, f"cannot be read ({exc})")) from None


def warn_unpriced(file: str, currency: pd.Series) -> int:
    """Warn once about rows whose currency has no rate in the FX table, and count them.

    Such a code is well-formed lower-case ISO 4217 as the contract asks (`pkr`, or a typo such
    as `xyz`: this project does not carry the full ISO list, so it cannot tell them apart) and
    is valued at 1 USD per major unit with two decimals (features/transactions/currency.py).
    The rows are kept, since refusing a real currency would refuse a real export; the warning
    names the codes and the count so a wrong valuation is not silent.
    """
    unpriced = ~currency.isin(list(USD_PER_UNIT)).to_numpy()
    count = int(unpriced.sum())
    if count:
        codes = sorted(set(currency[unpriced]))
        first = int(unpriced.argmax()) + 1
        log.warning(
            "%s: %d rows (first: row %d) are in currencies without an FX rate (%s), valued at "
            "1 USD per major unit with two decimals",
            file,
            count,
            first,
            some_of(codes),
        )
    return count


def read_transactions(path: Path, accounts: Collection[str]) -> pd.DataFrame:
    """The contract's columns with their dtypes (strings; created and amount int64), rows in
    file order. Unknown extra columns are dropped; an empty string means "none". Rows in a
    currency without an FX rate are kept with a warning (`warn_unpriced`)."""
    file = path.name
    raw = _read(path)
    if raw.empty and len(raw.columns) == 0:
        raise DatasetError(file, "no header row")
    require_columns(file, raw, COLUMNS)
    frame = raw[list(COLUMNS)]
    ids = matching(file, frame, "id", r".+", "expected a non-empty id")
    fail_at(file, frame, "id", ~ids.duplicated().to_numpy(), "transaction id repeated")
    kinds = one_of(file, frame, "type", STATUSES)
    status = as_text(frame, "status")
    for kind, allowed in STATUSES.items():
        ok = (kinds != kind) | status.isin(list(allowed))
        fail_at(file, frame, "status", ok, f"expected a {kind} status ({', '.join(allowed)})")
    currency = matching(file, frame, "currency", r"[a-z]{3}", "expected a lower-case ISO 4217 code")
    warn_unpriced(file, currency)
    return pd.DataFrame(
        {
            "id": ids,
            "account": known_accounts(file, frame, "account", accounts),
            "created": unix_seconds(file, frame, "created"),
            "type": kinds,
            "amount": integers(file, frame, "amount", minimum=1),
            "currency": currency,
            "status": status,
            "card_country": matching(
                file, frame, "card_country", r"(?:[A-Z]{2})?", "expected an ISO country or empty"
            ),
            "card_fingerprint": as_text(frame, "card_fingerprint"),
            "customer": as_text(frame, "customer"),
            "failure_code": as_text(frame, "failure_code"),
        }
    ).reset_index(drop=True)
