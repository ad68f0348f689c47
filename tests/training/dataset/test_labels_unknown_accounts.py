"""labels.csv rows naming accounts outside accounts.jsonl: dropped, counted and warned about."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from training.dataset import DatasetError, load_dataset


def test_unknown_accounts_are_dropped_with_a_counted_warning(
    dataset_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (dataset_dir / "labels.csv").write_text(
        "account,label,labeled_at\nacct_q,1,1735689605\nacct_a,1,1735691600\n"
        "acct_r,0,1735689607\nacct_b,0,1735692600\n"
    )
    with caplog.at_level(logging.WARNING, logger="training.dataset"):
        dataset = load_dataset(dataset_dir)
    assert dataset.labels is not None
    assert dataset.labels["account"].tolist() == ["acct_a", "acct_b"]
    assert dataset.labels["label"].tolist() == [1, 0]
    assert dataset.dropped_labels == 2
    message = " ".join(record.getMessage() for record in caplog.records)
    assert "labels.csv: 2 of 4 rows" in message and "row 1" in message
    # Counts and row numbers only: the unknown ids are not logged.
    assert "acct_q" not in message and "acct_r" not in message


def test_known_accounts_only_drop_nothing(dataset_dir: Path) -> None:
    assert load_dataset(dataset_dir).dropped_labels == 0


def test_unknown_rows_are_still_validated_with_their_file_row(dataset_dir: Path) -> None:
    (dataset_dir / "labels.csv").write_text("account,label,labeled_at\nacct_a,1,5\nacct_q,7,6\n")
    with pytest.raises(DatasetError) as caught:
        load_dataset(dataset_dir)
    assert (caught.value.row, caught.value.column) == (2, "label")
