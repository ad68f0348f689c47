"""One database for one process: engine, sessions, and whether the schema is ready to use."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from service.db.checkpoints import WalCheckpoints
from service.db.engine import make_engine
from service.db.migrate import upgrade_to_head
from service.db.write_turn import NoTurns, WriteTurns
from service.errors import StoreUnavailable

logger = logging.getLogger(__name__)

# Errors that mean "cannot talk to the database", as opposed to a bug in a statement.
UNREACHABLE = (OperationalError, InterfaceError, PoolTimeoutError)


class Database:
    """The engine and session factory, plus a gate that migrates the schema once.

    The process starts even when the database is down: the first request (or readiness probe)
    after it comes back migrates and opens the gate, and until then callers get
    StoreUnavailable, which the API answers with 503.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.write_turns = _write_turns(engine)
        self._checkpoints: WalCheckpoints | None = None
        self._schema_ready = False
        self._lock = threading.Lock()

    @classmethod
    def connect(cls, database_url: str) -> Database:
        """A Database for `database_url`; opens no connection yet."""
        return cls(make_engine(database_url))

    @property
    def schema_ready(self) -> bool:
        """Whether migrations have run to head in this process."""
        return self._schema_ready

    def ensure_schema(self) -> None:
        """Migrate to head unless done already; StoreUnavailable if the database is unreachable."""
        if self._schema_ready:
            return
        with self._lock:
            if self._schema_ready:
                return
            try:
                upgrade_to_head(self.engine)
            except UNREACHABLE as exc:
                raise StoreUnavailable("the database is unreachable") from exc
            _keep_private(_sqlite_file(self.engine))
            self._schema_ready = True
            logger.info("database schema is at head (%s)", self.engine.dialect.name)

    def session(self) -> Session:
        """A new session once the schema is ready; the caller commits and closes it."""
        self.ensure_schema()
        return self.sessions()

    def write_turn(self) -> contextlib.AbstractContextManager[None]:
        """Hold around a short write transaction and its commit on a hot path (scoring, the
        worker, the dispatcher): on SQLite, writers queue for the one write lock instead of
        sleeping in its busy handler. Not reentrant: never nest two turns in one thread."""
        return self.write_turns.turn()

    def checkpoint_in_background(self) -> None:
        """On a SQLite file, run WAL checkpoints on a thread of their own until `dispose()`,
        so commits never copy the WAL themselves (`service.db.checkpoints`). For long-running
        processes (the API, the worker); elsewhere, and on PostgreSQL, nothing."""
        if self._checkpoints is None and _sqlite_file(self.engine) is not None:
            self._checkpoints = WalCheckpoints(self.engine).start()

    def ping(self) -> bool:
        """Whether a trivial query succeeds right now."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except (DBAPIError, PoolTimeoutError):
            return False
        return True

    def dispose(self) -> None:
        """Stop the checkpoints and close every pooled connection (at shutdown)."""
        if self._checkpoints is not None:
            self._checkpoints.stop()
        self.engine.dispose()
        self.write_turns.close()


def _sqlite_file(engine: Engine) -> Path | None:
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if database is None or database in ("", ":memory:"):
        return None
    return Path(database).resolve()


def _keep_private(path: Path | None) -> None:
    """Make a SQLite file readable by its owner only: it holds account states and key hashes.
    SQLite gives its -wal and -shm files the database file's mode; existing ones are fixed too."""
    if path is None:
        return
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):  # gone, or another user's file
            mode = candidate.stat().st_mode & 0o777
            if mode & 0o077:
                os.chmod(candidate, mode & 0o700)


def _write_turns(engine: Engine) -> WriteTurns | NoTurns:
    if engine.dialect.name != "sqlite":
        return NoTurns()
    return WriteTurns(_sqlite_file(engine))
