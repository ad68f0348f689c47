"""Benchmark: `connect-risk import` of a generated dataset into a fresh SQLite database, each step
in rows (or files) per second next to a baseline doing the bare part of that step in the same run.

Set-up, not timed: generate 2,000 accounts with their transactions and rendered documents.
Each round imports into a new database file (median of 3 rounds):
- accounts and transactions, against a bare `executemany` of the same transaction rows with
  the `sqlite3` module into a table of the same columns (one transaction, no upsert rule);
- documents, against `parse_documents` of the same files alone (the parsing the import pays
  for, with the same worker processes).
A second import of the same directory (nothing new to store) is timed once, as the cost of
re-running it. Set CONNECT_RISK_BENCH_IMPORT_ACCOUNTS to change the size.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from features.documents import parse_documents
from service.db.database import Database
from service.usecases.import_dataset import (
    import_accounts,
    import_documents,
    import_transactions,
)
from training.dataset import load_dataset
from training.synth.config import GeneratorConfig
from training.synth.dataset import generate

ACCOUNTS = int(os.environ.get("CONNECT_RISK_BENCH_IMPORT_ACCOUNTS", "2000"))
REPEATS = 3
MAX_BYTES = 10 * 1024 * 1024


def _seconds(work: Callable[..., Any], *args: Any) -> float:
    started = time.perf_counter()
    work(*args)
    return time.perf_counter() - started


@pytest.mark.benchmark
def test_import_throughput(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    generate(GeneratorConfig(accounts=ACCOUNTS, seed=17), data, workers=2)
    dataset = load_dataset(data)
    files = dict(dataset.documents)
    file_count = sum(len(paths) for paths in files.values())
    captured = dt.datetime.now(dt.UTC)

    def parse(blobs: Any) -> Any:
        return parse_documents(blobs, workers=2)

    def rows_into(database: Database) -> None:
        import_accounts(database, dataset.accounts, captured_at=captured)
        import_transactions(database, dataset.transactions)

    def documents_into(database: Database) -> None:
        import_documents(database, files, parse_many=parse, max_bytes=MAX_BYTES)

    blobs = [path.read_bytes() for paths in files.values() for path in paths]
    timings: dict[str, list[float]] = {
        "rows": [],
        "bare rows": [],
        "documents": [],
        "bare parse": [],
    }
    for round_ in range(REPEATS):
        database = Database.connect(f"sqlite:///{tmp_path / f'import-{round_}.db'}")
        database.ensure_schema()
        timings["rows"].append(_seconds(rows_into, database))
        timings["documents"].append(_seconds(documents_into, database))
        database.dispose()
        timings["bare rows"].append(_seconds(_bare_insert, tmp_path, round_, dataset))
        timings["bare parse"].append(_seconds(parse, blobs))
    database = Database.connect(f"sqlite:///{tmp_path / f'import-{REPEATS - 1}.db'}")
    again = _seconds(lambda: (rows_into(database), documents_into(database)))
    database.dispose()

    rows = len(dataset.accounts) + len(dataset.transactions)
    median = {name: statistics.median(values) for name, values in timings.items()}
    print(
        f"\nimport {len(dataset.accounts):,} accounts, {len(dataset.transactions):,} "
        f"transactions, {file_count:,} documents into SQLite (medians of {REPEATS})"
    )
    print(
        f"  accounts + transactions: {median['rows']:.2f} s = {rows / median['rows']:,.0f} "
        f"rows/s; bare executemany of the transactions {median['bare rows']:.2f} s = "
        f"{len(dataset.transactions) / median['bare rows']:,.0f} rows/s "
        f"(ratio {median['rows'] / median['bare rows']:.1f}x the time)"
    )
    print(
        f"  documents: {median['documents']:.2f} s = {file_count / median['documents']:,.0f} "
        f"files/s; parsing alone {median['bare parse']:.2f} s = "
        f"{file_count / median['bare parse']:,.0f} files/s "
        f"(ratio {median['documents'] / median['bare parse']:.2f}x the time)"
    )
    print(f"  the same import again (nothing new): {again:.2f} s")
    with sqlite3.connect(tmp_path / f"import-{REPEATS - 1}.db") as check:
        stored = check.execute("SELECT count(*) FROM transactions").fetchone()[0]
    assert stored == len(dataset.transactions)


def _bare_insert(tmp_path: Path, round_: int, dataset: Any) -> None:
    """The same transaction rows into a plain table with the sqlite3 module: one executemany."""
    columns = list(dataset.transactions.columns)
    rows = list(dataset.transactions.astype(object).itertuples(index=False, name=None))
    with sqlite3.connect(tmp_path / f"bare-{round_}.db") as connection:
        connection.execute(f"CREATE TABLE transactions ({', '.join(columns)})")
        placeholders = ", ".join("?" for _ in columns)
        connection.executemany(f"INSERT INTO transactions VALUES ({placeholders})", rows)
