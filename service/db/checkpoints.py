"""WAL checkpoints on a thread of their own, so no request pays for one.

In WAL mode SQLite appends each commit to the `-wal` file and, once it holds
`wal_autocheckpoint` pages, the committing connection copies them into the database file before
its commit returns. Scoring at 1 connection, that copy made about 1.6% of scores wait 18–27 ms
in their commit (p50 1.7 ms; docs/benchmarks.md). A long-running process (the API, the worker)
instead runs a PASSIVE checkpoint every second on this thread: it never waits for readers or
writers, and the thread holds no interpreter lock while SQLite copies. The connections keep a
high `wal_autocheckpoint` (`service.db.engine`) as a bound for when no such process runs.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

logger = logging.getLogger(__name__)

INTERVAL_S = 1.0


class WalCheckpoints:
    """A daemon thread that checkpoints one SQLite file's WAL every `interval` seconds."""

    def __init__(self, engine: Engine, interval: float = INTERVAL_S) -> None:
        self.engine = engine
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoints", daemon=True)

    def start(self) -> WalCheckpoints:
        """Start checkpointing in the background."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop (a checkpoint in progress finishes first)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=timeout)

    def checkpoint(self) -> None:
        """Copy what the WAL holds into the database file, as far as readers allow."""
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.checkpoint()
            except Exception as exc:
                # The next commit past `wal_autocheckpoint` checkpoints anyway. By type only:
                # database errors may quote data.
                logger.warning("WAL checkpoint failed: %s", type(exc).__name__)
