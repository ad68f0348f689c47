"""A contract file that is not UTF-8 is a DatasetError naming its file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.cli import main
from training.dataset import DatasetError, load_dataset

TEXT_COLUMNS = ("card_fingerprint", "customer", "failure_code")
TRANSACTION_ROWS = 5  # in the dataset_dir fixture


def _replace_line(path: Path, line: int, old: bytes, new: bytes) -> None:
    lines = path.read_bytes().split(b"\n")
    assert old in lines[line]
    lines[line] = lines[line].replace(old, new, 1)
    path.write_bytes(b"\n".join(lines))


def test_a_latin_1_account_line_names_its_row(dataset_dir: Path) -> None:
    _replace_line(dataset_dir / "accounts.jsonl", 1, b'"US"', '"Zürich"'.encode("latin-1"))
    with pytest.raises(DatasetError) as caught:
        load_dataset(dataset_dir)
    assert (caught.value.file, caught.value.row) == ("accounts.jsonl", 2)
    assert "not UTF-8 (byte 0xfc" in str(caught.value)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(row=st.integers(1, TRANSACTION_ROWS), column=st.sampled_from(TEXT_COLUMNS))
def test_a_latin_1_transaction_value_names_its_row_and_column(
    dataset_dir: Path, row: int, column: str
) -> None:
    path = dataset_dir / "transactions.csv"
    valid = path.read_bytes()
    lines = valid.split(b"\n")
    fields = lines[row].split(b",")
    # Found by name: the fixture has an extra column besides the contract's.
    fields[lines[0].split(b",").index(column.encode())] = "café".encode("latin-1")
    lines[row] = b",".join(fields)
    path.write_bytes(b"\n".join(lines))
    try:
        with pytest.raises(DatasetError) as caught:
            load_dataset(dataset_dir)
    finally:
        path.write_bytes(valid)
    where = (caught.value.file, caught.value.row, caught.value.column)
    assert where == ("transactions.csv", row, column)


@pytest.mark.parametrize(
    ("file", "line"), [("labels.csv", "acct_é,1,9\n"), ("snapshots.csv", "acct_é,9\n")]
)
def test_a_latin_1_outcome_row_is_named(dataset_dir: Path, file: str, line: str) -> None:
    path = dataset_dir / file
    path.write_bytes(path.read_bytes() + line.encode("latin-1"))
    rows = len(path.read_bytes().splitlines()) - 1  # the header does not count
    with pytest.raises(DatasetError) as caught:
        load_dataset(dataset_dir)
    assert (caught.value.file, caught.value.row, caught.value.column) == (file, rows, "account")


def test_the_command_says_where_and_exits_1(dataset_dir: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{dataset_dir.parent / 'm.db'}")
    _replace_line(dataset_dir / "accounts.jsonl", 2, b'"US"', '"Köln"'.encode("latin-1"))
    assert main(["train", "--data", str(dataset_dir)]) == 1
    err = capsys.readouterr().err
    assert "accounts.jsonl, row 3: not UTF-8" in err and "Traceback" not in err
    assert not (dataset_dir.parent / "m.db").exists()


def test_an_accounts_file_without_accounts_says_so(dataset_dir: Path) -> None:
    (dataset_dir / "accounts.jsonl").write_text("\n\n")
    with pytest.raises(DatasetError, match="accounts.jsonl: holds no accounts"):
        load_dataset(dataset_dir)
