"""WAL checkpoints on a background thread (service.db.checkpoints), not in a commit."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from service.db.checkpoints import WalCheckpoints
from service.db.database import Database
from service.db.engine import make_engine


def _checkpoint_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "wal-checkpoints" and t.is_alive()]


def test_the_background_thread_copies_the_wal_into_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE blobs (body BLOB)")
        WalCheckpoints(engine).checkpoint()
        before = path.stat().st_size
        with engine.begin() as connection:  # ~1,500 pages: over SQLite's default limit, under ours
            rows = [(os.urandom(1000),) for _ in range(6000)]
            connection.exec_driver_sql("INSERT INTO blobs VALUES (?)", rows)
        assert path.stat().st_size == before, "the commit checkpointed by itself"

        checkpoints = WalCheckpoints(engine, interval=0.05).start()
        try:
            deadline = time.monotonic() + 10
            while path.stat().st_size < before + 6_000_000:
                assert time.monotonic() < deadline, "the WAL was not copied into the database"
                time.sleep(0.02)
        finally:
            checkpoints.stop()
        with engine.connect() as connection:
            count = connection.exec_driver_sql("SELECT count(*) FROM blobs").scalar()
        assert count == 6000
    finally:
        engine.dispose()


def test_only_a_sqlite_file_gets_the_thread_and_dispose_stops_it(
    tmp_path: Path, postgres_database: Database
) -> None:
    database = Database.connect(f"sqlite:///{tmp_path / 'service.db'}")
    database.checkpoint_in_background()
    assert len(_checkpoint_threads()) == 1
    database.dispose()
    assert _checkpoint_threads() == []

    for other in (Database.connect("sqlite://"), postgres_database):
        other.checkpoint_in_background()
        assert _checkpoint_threads() == []
