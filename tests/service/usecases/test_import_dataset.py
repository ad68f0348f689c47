"""`connect-risk import`: a dataset directory into the service's database, on each backend."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import func, select
from svc_support import TEST_PEPPER

from features.documents import DocumentEvidence, parse_documents
from features.documents.parse import blank_evidence
from service.cli import main
from service.db.database import Database
from service.db.models import Account, Document, Transaction
from service.db.repositories.accounts import get_account, record_account_state
from service.db.repositories.evidence import list_documents, transaction_records
from service.usecases.import_dataset import import_documents
from training.dataset import Dataset, load_dataset
from training.synth.config import GeneratorConfig
from training.synth.dataset import generate


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A working directory of its own; the pepper every process on PostgreSQL is configured
    with (the import itself hashes no keys)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONNECT_RISK_API_KEY_PEPPER", TEST_PEPPER)


@pytest.fixture(scope="module")
def dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve generated accounts with their transactions and rendered documents."""
    out = tmp_path_factory.mktemp("import-data")
    generate(GeneratorConfig(accounts=12, seed=21, days=120), out, workers=1)
    return out


@pytest.fixture(scope="module")
def dataset(dataset_dir: Path) -> Dataset:
    return load_dataset(dataset_dir)


def _import(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    code = main(["import", "--database-url", url, "--quiet", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _counts(database: Database) -> tuple[int, int, int]:
    with database.session() as session:
        accounts = session.scalar(
            select(func.count()).select_from(Account).where(Account.stripe_state.is_not(None))
        )
        transactions = session.scalar(select(func.count()).select_from(Transaction))
        documents = session.scalar(select(func.count()).select_from(Document))
    return int(accounts or 0), int(transactions or 0), int(documents or 0)


def _distinct_files(dataset: Dataset) -> int:
    return sum(
        len({hashlib.sha256(path.read_bytes()).hexdigest() for path in paths})
        for paths in dataset.documents.values()
    )


def test_an_import_stores_the_dataset_and_a_second_one_adds_nothing(
    dataset_dir: Path,
    dataset: Dataset,
    database: Database,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _import(capsys, database_url, "--data", str(dataset_dir))
    assert code == 0, err
    files = _distinct_files(dataset)
    assert files > len(dataset.accounts)  # rendered documents, several per account
    assert _counts(database) == (len(dataset.accounts), len(dataset.transactions), files)
    assert f"accounts: {len(dataset.accounts):,} states stored" in out
    assert f"documents: {files:,} stored" in out

    account_id = str(dataset.transactions["account"].value_counts().index[0])
    with database.session() as session:
        stored = get_account(session=session, account_id=account_id)
        records = transaction_records(session=session, account_id=account_id, before=2**40)
        documents = list_documents(session=session, account_id=account_id)
    assert stored is not None and stored.stripe_state == dataset.accounts[account_id]
    expected = dataset.transactions[dataset.transactions["account"] == account_id]
    assert sorted(record["id"] for record in records) == sorted(expected["id"])
    assert {document.filename for document in documents} <= {
        path.name for path in dataset.documents.get(account_id, ())
    }

    code, out, err = _import(capsys, database_url, "--data", str(dataset_dir))
    assert code == 0, err
    assert _counts(database) == (len(dataset.accounts), len(dataset.transactions), files)
    assert f"documents: 0 stored (0 unreadable, kept with their reason), {files:,} already" in out


def test_a_state_stored_for_a_later_time_is_kept(
    dataset_dir: Path,
    dataset: Dataset,
    database: Database,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    account_id = next(iter(dataset.accounts))
    delivered = {"id": account_id, "object": "account", "charges_enabled": False}
    later = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    with database.session() as session, session.begin():
        record_account_state(session=session, account_id=account_id, state=delivered, as_of=later)

    code, out, err = _import(
        capsys, database_url, "--data", str(dataset_dir), "--no-documents",
        "--captured-at", "2029-06-01T00:00:00+00:00",
    )  # fmt: skip
    assert code == 0, err
    assert "1 kept (a newer state was stored)" in out
    with database.session() as session:
        kept = get_account(session=session, account_id=account_id)
        other = get_account(session=session, account_id=list(dataset.accounts)[1])
    assert kept is not None and kept.stripe_state == delivered
    assert other is not None and other.stripe_state == dataset.accounts[other.id]
    assert other.stripe_state_at == dt.datetime(2029, 6, 1, tzinfo=dt.UTC)
    assert _counts(database)[2] == 0  # --no-documents


def test_a_bad_row_stops_the_import_before_anything_is_written(
    dataset_dir: Path,
    database: Database,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(dataset_dir, broken)
    lines = (broken / "transactions.csv").read_text().splitlines()
    header = lines[0].split(",")
    fields = lines[3].split(",")
    fields[header.index("amount")] = "a lot"
    lines[3] = ",".join(fields)
    (broken / "transactions.csv").write_text("\n".join(lines) + "\n")

    code, out, err = _import(capsys, database_url, "--data", str(broken))
    assert code == 1
    assert "transactions.csv, row 3, column 'amount'" in err
    assert out == ""
    assert _counts(database) == (0, 0, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--captured-at", "last tuesday"], "expected Unix seconds or ISO 8601"),
        (["--captured-at", "2026-01-01T00:00:00"], "an offset"),
    ],
)
def test_bad_arguments_exit_2_with_a_reason(
    dataset_dir: Path,
    database_url: str,
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["import", "--database-url", database_url, "--data", str(dataset_dir), *args])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_a_missing_directory_is_named(database_url: str, capsys, tmp_path: Path) -> None:
    code, _, err = _import(capsys, database_url, "--data", str(tmp_path / "nowhere"))
    assert code == 2
    assert f"--data {tmp_path / 'nowhere'}: not a directory" in err


def test_a_file_over_the_size_limit_is_stored_as_too_large_without_being_parsed(
    dataset_dir: Path,
    dataset: Dataset,
    database: Database,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    shutil.copytree(dataset_dir, data)
    account_id = next(iter(dataset.documents))
    big = data / "documents" / account_id / "statement-scan.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * 300_000)
    monkeypatch.setenv("CONNECT_RISK_MAX_DOCUMENT_BYTES", "200000")

    code, out, err = _import(capsys, database_url, "--data", str(data))
    assert code == 0, err
    with database.session() as session:
        stored = {d.filename: d for d in list_documents(session=session, account_id=account_id)}
    assert stored["statement-scan.pdf"].error == "too_large"
    assert stored["statement-scan.pdf"].size_bytes == big.stat().st_size
    assert stored["statement-scan.pdf"].sha256 == hashlib.sha256(big.read_bytes()).hexdigest()
    assert stored["statement-scan.pdf"].evidence["pages"] == 0
    assert f"unreadable: documents/{account_id}/statement-scan.pdf (too_large)" in out


def test_every_unreadable_file_is_named_with_its_reason(
    dataset_dir: Path,
    dataset: Dataset,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    shutil.copytree(dataset_dir, data)
    first, second = list(dataset.documents)[:2]
    (data / "documents" / first / "notes.pdf").write_bytes(b"plain text, not a PDF")
    (data / "documents" / second / "blank.pdf").write_bytes(b"   ")
    code, out, err = _import(capsys, database_url, "--data", str(data))
    assert code == 0, err
    [line] = [line for line in out.splitlines() if line.startswith("unreadable: ")]
    assert f"documents/{first}/notes.pdf (not_pdf)" in line
    assert f"documents/{second}/blank.pdf (empty)" in line


def test_an_unreachable_database_exits_1_and_says_so(
    dataset_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = "postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2"
    code, out, err = _import(capsys, nowhere, "--data", str(dataset_dir))
    assert code == 1
    assert "import: the database cannot be reached" in err
    assert out == ""


def test_a_file_whose_parse_ran_out_of_time_is_read_again_by_the_next_import(
    dataset: Dataset, database: Database, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _import(capsys, database_url, "--data", str(dataset.path), "--no-documents")
    assert code == 0, err
    account_id = next(iter(dataset.documents))
    files = {account_id: dataset.documents[account_id][:1]}

    def out_of_time(blobs: Sequence[bytes]) -> list[DocumentEvidence]:
        return [blank_evidence(blob, "timeout") for blob in blobs]

    first = import_documents(database, files, parse_many=out_of_time, max_bytes=10**7)
    again = import_documents(
        database, files, parse_many=lambda blobs: parse_documents(blobs), max_bytes=10**7
    )
    third = import_documents(database, files, parse_many=out_of_time, max_bytes=10**7)
    assert (first.stored, first.unreadable) == (1, 1)
    assert (again.read_again, again.stored, again.refused) == (1, 0, ())
    assert (third.read_again, third.already_known) == (0, 1)  # read now: never parsed again
    with database.session() as session:
        [document] = list_documents(session=session, account_id=account_id)
    assert document.error is None and document.kind is not None
