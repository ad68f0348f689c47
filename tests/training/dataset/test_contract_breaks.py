"""Breaks of the contract that used to pass silently: repeated snapshots, unpriced currencies."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from features.transactions.currency import USD_PER_UNIT
from training.dataset import DatasetError, load_dataset

T0 = 1_735_689_600  # the dataset_dir fixture's timestamps are seconds after this


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pairs=st.lists(
        st.tuples(st.sampled_from(["acct_a", "acct_b", "acct_c"]), st.integers(0, 5)),
        min_size=2,
        max_size=12,
    ),
)
def test_the_first_repeated_snapshot_is_named_with_the_row_it_repeats(
    dataset_dir: Path, pairs: list[tuple[str, int]]
) -> None:
    lines = "".join(f"{account},{T0 + k}\n" for account, k in pairs)
    (dataset_dir / "snapshots.csv").write_text("account,as_of\n" + lines)
    seen: dict[tuple[str, int], int] = {}
    repeat = None
    for row, pair in enumerate(pairs, start=1):
        if pair in seen:
            repeat = (row, seen[pair])
            break
        seen[pair] = row
    if repeat is None:
        assert len(load_dataset(dataset_dir).snapshots) == len(pairs)  # type: ignore[arg-type]
        return
    with pytest.raises(DatasetError) as caught:
        load_dataset(dataset_dir)
    assert (caught.value.file, caught.value.row) == ("snapshots.csv", repeat[0])
    assert f"repeats row {repeat[1]}" in str(caught.value)


@pytest.mark.parametrize("code", ["pkr", "xyz"])
def test_a_currency_without_an_fx_rate_is_kept_with_a_counted_warning(
    dataset_dir: Path, code: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert code not in USD_PER_UNIT
    path = dataset_dir / "transactions.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[[1, 3], "currency"] = code
    frame.to_csv(path, index=False)
    with caplog.at_level(logging.WARNING, logger="training.dataset"):
        dataset = load_dataset(dataset_dir)
    assert dataset.transactions["currency"].tolist().count(code) == 2
    [message] = [r.getMessage() for r in caplog.records if "FX rate" in r.getMessage()]
    assert message.startswith("transactions.csv: 2 rows (first: row 2)") and f"({code})" in message


def test_priced_currencies_warn_nothing(
    dataset_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="training.dataset"):
        load_dataset(dataset_dir)
    assert not [r for r in caplog.records if "FX rate" in r.getMessage()]
