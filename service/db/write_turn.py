"""Turns for SQLite's one write lock, so concurrent writers queue instead of sleeping.

SQLite lets one connection write at a time. A writer that finds the lock taken calls the busy
handler, which sleeps 1, 2, 5, 10 … up to 100 ms before trying again, whether or not the lock
was freed in the meantime: under concurrent scoring that sleeping, not the work, set the tail
latency. A writer that takes its turn here instead waits on a thread lock (this process) and an
`flock` on a file beside the database (other processes), and is woken the moment the previous
writer commits. PostgreSQL locks rows, not the database, and needs no turns.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from service.errors import StoreUnavailable

# As long as SQLite's busy timeout: past it a writer would have failed anyway.
TURN_TIMEOUT_S = 5.0


class WriteTurns:
    """Mutual exclusion for writers of one SQLite file, across threads and processes."""

    def __init__(self, database_path: Path | None) -> None:
        self._threads = threading.Lock()
        self._path = None if database_path is None else Path(f"{database_path}.write-turn")
        self._fd: int | None = None

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the write turn for the block (a write transaction and its commit)."""
        if not self._threads.acquire(timeout=TURN_TIMEOUT_S):
            raise StoreUnavailable("the database stayed busy with other writers")
        try:
            fd = self._file()
            if fd is None:
                yield
                return
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def close(self) -> None:
        """Close the lock file (at shutdown); a later turn opens it again."""
        with self._threads:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def _file(self) -> int | None:
        # Opened once, under the thread lock; closed with the process.
        if self._path is not None and self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._fd


class NoTurns:
    """For databases that need no turns (PostgreSQL)."""

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """Nothing to wait for."""
        yield

    def close(self) -> None:
        """Nothing to close."""
