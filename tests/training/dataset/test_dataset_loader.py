"""Loading a dataset directory: the contract's dtypes, and a precise error for each bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from training.dataset import TRANSACTION_COLUMNS, DatasetError, load_dataset

T0 = 1_735_689_600  # the dataset_dir fixture's timestamps are seconds after this


def test_valid_directory_loads_with_contract_dtypes(dataset_dir: Path) -> None:
    dataset = load_dataset(dataset_dir)
    assert list(dataset.accounts) == ["acct_a", "acct_b", "acct_c"]
    frame = dataset.transactions
    assert list(frame.columns) == list(TRANSACTION_COLUMNS)  # the extra column is dropped
    assert frame["created"].dtype == np.int64 and frame["amount"].dtype == np.int64
    assert pd.api.types.is_string_dtype(frame["account"])
    assert frame["failure_code"].tolist() == ["", "incorrect_cvc", "", "", ""]
    assert frame["id"].tolist() == ["ch_1", "ch_2", "re_1", "dp_1", "po_1"]  # file order kept
    assert dataset.labels is not None and dataset.labels["label"].tolist() == [1]
    assert dataset.snapshots is not None and dataset.snapshots["as_of"].tolist() == [
        T0 + 1250,
        T0 + 5000,
    ]
    # *.pdf in any case, sorted; other files and unknown accounts' folders are not documents
    assert [p.name for p in dataset.documents["acct_a"]] == ["a.PDF", "b.pdf"]
    assert set(dataset.documents) == {"acct_a"}


def test_what_documents_holds_besides_account_pdfs_is_named_once(
    dataset_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (dataset_dir / "documents" / "stray.pdf").write_bytes(b"%PDF-1.4")
    with caplog.at_level("WARNING", logger="training.dataset.loader"):
        load_dataset(dataset_dir)
    [warning] = [r.getMessage() for r in caplog.records if "documents/" in r.getMessage()]
    # acct_a/notes.txt, the folder of unknown acct_zz, and stray.pdf outside any folder
    assert "3 entries are not ACCOUNT_ID/*.pdf" in warning
    assert "left out: acct_a/notes.txt, acct_zz/, stray.pdf" in warning


def test_parquet_gives_the_same_frame(dataset_dir: Path) -> None:
    csv = load_dataset(dataset_dir).transactions
    raw = pd.read_csv(dataset_dir / "transactions.csv", keep_default_na=False)
    raw.to_parquet(dataset_dir / "transactions.parquet")
    (dataset_dir / "transactions.csv").unlink()
    pd.testing.assert_frame_equal(load_dataset(dataset_dir).transactions, csv)


def test_default_snapshots_see_the_newest_transaction(dataset_dir: Path) -> None:
    (dataset_dir / "snapshots.csv").unlink()
    dataset = load_dataset(dataset_dir)
    assert dataset.snapshots is None and dataset.labels is not None
    snapshots = dataset.scoring_snapshots(now=T0 + 99_999)
    assert snapshots["account"].tolist() == ["acct_a", "acct_b", "acct_c"]
    # newest + 1 s; none: now
    assert snapshots["as_of"].tolist() == [T0 + 1301, T0 + 1401, T0 + 99_999]


def test_optional_files_may_be_absent(dataset_dir: Path) -> None:
    for name in ("labels.csv", "snapshots.csv"):
        (dataset_dir / name).unlink()
    shutil.rmtree(dataset_dir / "documents")
    dataset = load_dataset(dataset_dir)
    assert dataset.labels is None and dataset.snapshots is None and dataset.documents == {}


def _set_cell(path: Path, row: int, column: str, value: str) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 1, column] = value
    frame.to_csv(path, index=False)


@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        (2, "created", "12.5", "whole number"),
        (3, "created", "soon", "whole number"),
        (1, "created", "", "whole number"),
        (4, "amount", "0", ">= 1"),
        (5, "amount", "-3", ">= 1"),
        (2, "type", "transfer", "one of charge, dispute, payout, refund"),
        (1, "status", "paid", "charge status"),
        (5, "status", "succeeded", "payout status"),
        (3, "currency", "USD", "ISO 4217"),
        (1, "card_country", "usa", "ISO country"),
        (4, "account", "acct_ghost", "not in accounts.jsonl"),
        (3, "id", "ch_1", "repeated"),
        (2, "id", "", "non-empty id"),
    ],
)
def test_bad_transaction_values_name_file_row_and_column(
    dataset_dir: Path, row: int, column: str, value: str, reason: str
) -> None:
    _set_cell(dataset_dir / "transactions.csv", row, column, value)
    with pytest.raises(DatasetError) as caught:
        load_dataset(dataset_dir)
    error = caught.value
    assert (error.file, error.row, error.column) == ("transactions.csv", row, column)
    assert f"transactions.csv, row {row}, column '{column}'" in str(error)
    assert reason in str(error)


def test_missing_transaction_column(dataset_dir: Path) -> None:
    frame = pd.read_csv(dataset_dir / "transactions.csv", keep_default_na=False)
    frame.drop(columns=["currency", "status"]).to_csv(dataset_dir / "transactions.csv", index=False)
    with pytest.raises(
        DatasetError, match=r"transactions.csv: missing column\(s\): currency, status"
    ):
        load_dataset(dataset_dir)


def test_malformed_csv_and_empty_file(dataset_dir: Path) -> None:
    path = dataset_dir / "transactions.csv"
    path.write_text(path.read_text() + "too,many,fields,a,b,c,d,e,f,g,h,i,j,k\n")
    with pytest.raises(DatasetError, match="transactions.csv: cannot be read"):
        load_dataset(dataset_dir)
    path.write_text("")
    with pytest.raises(DatasetError, match="transactions.csv: cannot be read"):
        load_dataset(dataset_dir)


def test_parquet_with_bad_types(dataset_dir: Path) -> None:
    raw = pd.read_csv(dataset_dir / "transactions.csv", keep_default_na=False)
    raw["created"] = raw["created"].astype(float)
    raw.loc[3, "created"] = 1.5
    raw.to_parquet(dataset_dir / "transactions.parquet")
    (dataset_dir / "transactions.csv").unlink()
    with pytest.raises(DatasetError, match=r"transactions.parquet, row 4, column 'created'"):
        load_dataset(dataset_dir)


@pytest.mark.parametrize(
    ("lines", "row", "column", "reason"),
    [
        (['{"id": "acct_a"}', '{"id": "acct_b",}'], 2, None, "not valid JSON"),
        (['{"id": "acct_a"}', "", '["acct_b"]'], 3, None, "expected a JSON object, got list"),
        (['{"object": "account"}'], 1, "id", "missing or empty account id"),
        (['{"id": "acct_a"}', '{"id": "acct_a"}'], 2, "id", "appears twice"),
    ],
)
def test_bad_account_lines(
    dataset_dir: Path, lines: list[str], row: int, column: str | None, reason: str
) -> None:
    (dataset_dir / "accounts.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(DatasetError) as caught:
        load_dataset(dataset_dir)
    error = caught.value
    assert (error.file, error.row, error.column) == ("accounts.jsonl", row, column)
    assert f"accounts.jsonl, row {row}" in str(error) and reason in str(error)


@pytest.mark.parametrize(
    ("file", "text", "row", "column", "reason"),
    [
        ("labels.csv", "account,label,labeled_at\nacct_a,2,10\n", 1, "label", "one of 0, 1"),
        ("labels.csv", "account,label,labeled_at\nacct_a,1,x\n", 1, "labeled_at", "whole number"),
        ("labels.csv", "account,label,labeled_at\nacct_a,1,5\nacct_a,0,6\n", 2, "account", "twice"),
        ("labels.csv", "account,label\nacct_a,1\n", None, None, "missing column(s): labeled_at"),
        ("snapshots.csv", f"account,as_of\nacct_a,{T0}\nacct_b,-5\n", 2, "as_of", "Unix seconds"),
        ("snapshots.csv", "account,as_of\nacct_x,1\n", 1, "account", "not in accounts"),
        ("snapshots.csv", "account,as_of\n", None, None, "no snapshots"),
    ],
)
def test_bad_labels_and_snapshots(
    dataset_dir: Path, file: str, text: str, row: int | None, column: str | None, reason: str
) -> None:
    (dataset_dir / file).write_text(text)
    with pytest.raises(DatasetError) as caught:
        load_dataset(dataset_dir)
    assert (caught.value.file, caught.value.row, caught.value.column) == (file, row, column)
    assert reason in str(caught.value)


@pytest.mark.parametrize("missing", ["accounts.jsonl", "transactions.csv"])
def test_missing_required_files(dataset_dir: Path, missing: str) -> None:
    (dataset_dir / missing).unlink()
    with pytest.raises(DatasetError, match=f"{missing}: file not found"):
        load_dataset(dataset_dir)


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not a directory"):
        load_dataset(tmp_path / "nowhere")


def test_accounts_keep_every_field(dataset_dir: Path) -> None:
    account = {"id": "acct_a", "business_profile": {"mcc": "5734"}, "unknown_field": [1, 2]}
    lines = [json.dumps(account), '{"id": "acct_b"}', '{"id": "acct_c"}']
    (dataset_dir / "accounts.jsonl").write_text("\n".join(lines))
    assert load_dataset(dataset_dir).accounts["acct_a"] == account


def test_text_that_looks_missing_stays_text(dataset_dir: Path) -> None:
    _set_cell(dataset_dir / "transactions.csv", 1, "customer", "NA")
    _set_cell(dataset_dir / "transactions.csv", 2, "card_fingerprint", "null")
    frame = load_dataset(dataset_dir).transactions
    assert frame.loc[0, "customer"] == "NA" and frame.loc[1, "card_fingerprint"] == "null"
    assert frame.loc[2, "customer"] == ""
