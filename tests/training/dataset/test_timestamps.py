"""Unix-second fields must be plausible seconds: milliseconds are refused with a hint."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from training.dataset import DatasetError, load_dataset
from training.dataset.columns import EARLIEST_SECOND, YEAR, implausible_second, unix_seconds

NOW = 1_765_000_000  # 2025-12-06


@given(seconds=st.integers(EARLIEST_SECOND, NOW + YEAR))
def test_every_plausible_second_passes_and_the_same_time_in_milliseconds_does_not(seconds):
    frame = pd.DataFrame({"created": [str(seconds)]})
    assert unix_seconds("t.csv", frame, "created", now=NOW).tolist() == [seconds]
    assert "milliseconds?" in (implausible_second(seconds * 1000, NOW) or "")


@given(value=st.integers(0, EARLIEST_SECOND - 1) | st.integers(NOW + YEAR + 1, 10**18 - 1))
def test_values_outside_the_bounds_name_their_row(value):
    frame = pd.DataFrame({"created": ["1735689600", str(value)]})
    with pytest.raises(DatasetError) as caught:
        unix_seconds("t.csv", frame, "created", now=NOW)
    assert (caught.value.file, caught.value.row, caught.value.column) == ("t.csv", 2, "created")
    assert "expected Unix seconds between 2009-01-01 and 2026-12-06" in str(caught.value)


def test_transactions_created_in_milliseconds_are_refused(dataset_dir: Path) -> None:
    path = dataset_dir / "transactions.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["created"] = (frame["created"].astype("int64") * 1000).astype(str)
    frame.to_csv(path, index=False)
    with pytest.raises(DatasetError, match=r"transactions.csv, row 1, column 'created'.*milli"):
        load_dataset(dataset_dir)


@pytest.mark.parametrize(
    ("file", "text", "column"),
    [
        ("labels.csv", "account,label,labeled_at\nacct_a,1,1735691600000\n", "labeled_at"),
        ("snapshots.csv", "account,as_of\nacct_a,1735691600000\n", "as_of"),
    ],
)
def test_outcome_times_in_milliseconds_are_refused(
    dataset_dir: Path, file: str, text: str, column: str
) -> None:
    (dataset_dir / file).write_text(text)
    with pytest.raises(DatasetError, match=rf"{file}, row 1, column '{column}'.*milliseconds"):
        load_dataset(dataset_dir)


def test_an_account_created_in_milliseconds_is_refused(dataset_dir: Path) -> None:
    lines = [{"id": "acct_a", "created": 1_735_689_600_000}, {"id": "acct_b"}, {"id": "acct_c"}]
    (dataset_dir / "accounts.jsonl").write_text("".join(json.dumps(a) + "\n" for a in lines))
    with pytest.raises(DatasetError, match=r"accounts.jsonl, row 1, column 'created'.*milli"):
        load_dataset(dataset_dir)
