"""Vectorised checks of one column of a contract CSV/Parquet file, failing on the first bad row."""

from __future__ import annotations

import time
from collections.abc import Collection
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from training.dataset.errors import DatasetError


def first_bad(ok: np.ndarray | pd.Series) -> int | None:
    """Index of the first False in `ok`, or None when every row passes."""
    bad = np.flatnonzero(~np.asarray(ok, dtype=bool))
    return int(bad[0]) if len(bad) else None


def fail_at(
    file: str, frame: pd.DataFrame, column: str, ok: np.ndarray | pd.Series, expected: str
) -> None:
    """Raise a DatasetError naming the first row where `ok` is False."""
    row = first_bad(ok)
    if row is not None:
        value = frame[column].iloc[row]
        raise DatasetError(file, f"{expected}, got {value!r}", row=row + 1, column=column)


def require_columns(file: str, frame: pd.DataFrame, columns: Collection[str]) -> None:
    """Every contract column must be present (extra columns are allowed and ignored)."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise DatasetError(file, f"missing column(s): {', '.join(missing)}")


def as_text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as strings, missing values as "" (Parquet may carry nulls or non-strings)."""
    series = frame[column]
    if series.isna().any():
        series = series.where(series.notna(), "")
    return series.astype(str)


def integers(file: str, frame: pd.DataFrame, column: str, *, minimum: int | None) -> np.ndarray:
    """A column of whole numbers as int64 (text like "12" or Parquet integers)."""
    series = frame[column]
    if pd.api.types.is_integer_dtype(series.dtype) and not series.isna().any():
        values = series.to_numpy(dtype=np.int64)
    else:
        if pd.api.types.is_float_dtype(series.dtype):
            ok = series.notna() & (series == np.floor(series))
            fail_at(file, frame, column, ok, "expected a whole number")
            values = series.to_numpy(dtype=np.int64)
        else:
            text = as_text(frame, column).str.strip()
            fail_at(
                file, frame, column, text.str.fullmatch(r"-?\d{1,18}"), "expected a whole number"
            )
            values = text.astype(np.int64).to_numpy()
    if minimum is not None:
        fail_at(file, frame, column, values >= minimum, f"expected a number >= {minimum}")
    return np.asarray(values, dtype=np.int64)


EARLIEST_SECOND = 1_230_768_000  # 2009-01-01T00:00:00Z, before any Stripe object
YEAR = 365 * 86_400


def implausible_second(value: int, now: int | None = None) -> str | None:
    """Why `value` cannot be a Unix second of a Stripe export, or None when it can: it must lie
    between 2009-01-01 and a year after `now` (default: the clock).

    Whole numbers alone let milliseconds through (`created` x 1000 lies in the year 57,000),
    and then every transaction sat after every snapshot and each transaction feature read 0.
    The bounds are wide enough for any real export and narrow enough to catch milliseconds
    (from 1.2e12) and microseconds, and the message says which unit was probably meant.
    """
    latest = (int(time.time()) if now is None else now) + YEAR
    if EARLIEST_SECOND <= value <= latest:
        return None
    hint = " (milliseconds? divide by 1000)" if value > latest else ""
    until = datetime.fromtimestamp(latest, UTC).date().isoformat()
    return f"expected Unix seconds between 2009-01-01 and {until}, got {value}{hint}"


def unix_seconds(
    file: str, frame: pd.DataFrame, column: str, *, now: int | None = None
) -> np.ndarray:
    """A column of whole numbers that are all plausible Unix seconds (`implausible_second`)."""
    values = integers(file, frame, column, minimum=None)
    latest = (int(time.time()) if now is None else now) + YEAR
    row = first_bad((values >= EARLIEST_SECOND) & (values <= latest))
    if row is not None:
        reason = implausible_second(int(values[row]), latest - YEAR) or ""
        raise DatasetError(file, reason, row=row + 1, column=column)
    return values


def one_of(file: str, frame: pd.DataFrame, column: str, allowed: Collection[str]) -> pd.Series:
    """A column whose every value is one of `allowed`."""
    text = as_text(frame, column)
    choices = ", ".join(sorted(allowed))
    fail_at(file, frame, column, text.isin(list(allowed)), f"expected one of {choices}")
    return text


def matching(file: str, frame: pd.DataFrame, column: str, pattern: str, expected: str) -> pd.Series:
    """A column whose every value fully matches the regular expression `pattern`."""
    text = as_text(frame, column)
    fail_at(file, frame, column, text.str.fullmatch(pattern), expected)
    return text


def known_accounts(
    file: str, frame: pd.DataFrame, column: str, accounts: Collection[str]
) -> pd.Series:
    """A column of account ids that all appear in accounts.jsonl."""
    text = as_text(frame, column)
    fail_at(file, frame, column, text.isin(list(accounts)), "account not in accounts.jsonl")
    return text
