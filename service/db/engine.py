"""Engines for both backends: SQLite tuned for one busy machine, PostgreSQL for replicas."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

SQLITE_BUSY_TIMEOUT_MS = 5_000
POSTGRES_CONNECT_TIMEOUT_S = 3
WAL_AUTOCHECKPOINT_PAGES = 10_000


def make_engine(database_url: str) -> Engine:
    """An engine for `database_url`, with the pragmas or timeouts the service relies on.

    Statement parameters are hidden from error messages: they hold account data, and database
    errors end up in logs.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            # One shared connection, or every pooled connection would see its own empty database.
            engine = create_engine(
                url,
                hide_parameters=True,
                poolclass=StaticPool,
                connect_args={"check_same_thread": False},
            )
        else:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        hide_parameters=True,
        # Replicas outlive database restarts: test a pooled connection before handing it out.
        pool_pre_ping=True,
        pool_timeout=5,
        connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S},
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # busy_timeout makes writers queue instead of failing at once (first: switching a new file
    # to WAL needs a lock too); WAL lets readers proceed while one writer commits; SQLite
    # leaves foreign keys off unless asked per connection.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Long-running processes checkpoint on a thread of their own (service.db.checkpoints);
        # this only bounds the WAL (about 40 MB) when none runs.
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
    finally:
        cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    # SQLite does not always call the busy handler for a journal-mode change (it would risk a
    # deadlock), so a new file opened by several processes at once can answer "locked" here;
    # retry for as long as busy_timeout would have waited.
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
