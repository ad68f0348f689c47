"""Group commit for the webhook inbox: one writer thread commits concurrent deliveries together.

Each webhook request hands its event to `InboxWriter.store` (or, from a thread, `submit`) and
is acknowledged only when that answers, which happens after the transaction holding the event
committed.
While one batch commits, the next requests queue up, and the writer takes all of them in the
next transaction: under load a commit (and on SQLite its fsync) is shared by many events, and
when idle a lone event is committed at once, without waiting for company.

On SQLite the writer's transactions run with `synchronous=FULL`, so an acknowledged event
survives power loss, not only a crash of the process (the engine's default for other writers,
`NORMAL` in WAL mode, does not fsync at commit). Group commit pays for that fsync.

A failed batch fails every request in it: with StoreUnavailable (answered 503, Stripe delivers
again) when the database cannot be reached or stays locked; otherwise the batch is retried one
event per transaction, so one event the database refuses cannot fail the others.

Requests waiting on an event loop get their answers in one loop callback per batch rather than
one thread-safe wake-up per request: profiling showed the per-request hand-over costing the
event loop a quarter of its time per delivery.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from typing import NamedTuple

from sqlalchemy import Connection

from service.db.database import UNREACHABLE, Database
from service.db.repositories.inbox import NewEvent, insert_events
from service.errors import StoreUnavailable
from service.log_safety import failure_without_message

logger = logging.getLogger(__name__)

MAX_BATCH = 256
# An idle writer thread ends after this long; the next event starts a new one. No thread (or
# pooled connection) outlives the traffic, so apps need no shutdown hook for it.
IDLE_SECONDS = 1.0

Outcome = bool | BaseException


class _Pending(NamedTuple):
    """One event and where its outcome goes: an asyncio future on `loop`, or a thread's Future."""

    event: NewEvent
    loop: asyncio.AbstractEventLoop | None
    future: asyncio.Future[bool] | Future[bool]


class InboxWriter:
    """Stores events in the inbox in shared transactions; thread-safe, one per Database."""

    def __init__(
        self, database: Database, *, max_batch: int = MAX_BATCH, idle_seconds: float = IDLE_SECONDS
    ) -> None:
        self.database = database
        self.max_batch = max_batch
        self.idle_seconds = idle_seconds
        self._queue: queue.SimpleQueue[_Pending] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._sqlite = database.engine.dialect.name == "sqlite"

    @property
    def running(self) -> bool:
        """Whether the writer thread is alive (it ends after `idle_seconds` without events)."""
        with self._lock:
            return self._thread is not None

    async def store(self, event: NewEvent) -> bool:
        """Store `event`; True once committed, False if it was stored already (a replay).

        Raises StoreUnavailable if the database cannot take the batch.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self._put(_Pending(event, loop, future))
        return await future

    def submit(self, event: NewEvent) -> Future[bool]:
        """`store` for threads: the future says whether `event` was new once it is committed."""
        future: Future[bool] = Future()
        self._put(_Pending(event, None, future))
        return future

    def _put(self, pending: _Pending) -> None:
        with self._lock:
            # Under the lock, so an idle thread cannot decide to end after this put.
            self._queue.put(pending)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="inbox-writer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=self.idle_seconds)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                outcomes = self._write(batch)
            except Exception as exc:
                # A bug here must not leave requests waiting forever for their answers.
                logger.error("inbox writer failed: %s", failure_without_message(exc))
                outcomes = [exc] * len(batch)
            _deliver(batch, outcomes)

    def _write(self, batch: list[_Pending]) -> list[Outcome]:
        # A replay inside one batch must not count as new twice: only its first copy is sent.
        first_copies: dict[str, NewEvent] = {}
        for pending in batch:
            first_copies.setdefault(pending.event.event_id, pending.event)
        try:
            inserted = self._commit(list(first_copies.values()))
        except StoreUnavailable as exc:
            # One exception object per request: each is raised (and its traceback grown) apart.
            return [StoreUnavailable(str(exc)) for _ in batch]
        except Exception as exc:
            logger.warning(
                "inbox batch refused (%s); storing its events one by one", type(exc).__name__
            )
            return [self._write_one(pending.event) for pending in batch]
        outcomes: list[Outcome] = []
        for pending in batch:
            # The first request carrying a new id stored it; later copies are replays.
            outcomes.append(pending.event.event_id in inserted)
            inserted.discard(pending.event.event_id)
        return outcomes

    def _write_one(self, event: NewEvent) -> Outcome:
        try:
            return event.event_id in self._commit([event])
        except Exception as exc:
            return exc

    def _commit(self, events: Sequence[NewEvent]) -> set[str]:
        """Insert and commit `events` in one transaction; the ids that were new."""
        try:
            self.database.ensure_schema()
            with self.database.engine.connect() as connection:
                if self._sqlite:
                    return self._commit_fully_synced(connection, events)
                with connection.begin():
                    return insert_events(connection, events)
        except (StoreUnavailable, *UNREACHABLE) as exc:
            logger.warning("inbox batch not stored: database unavailable (%s)", type(exc).__name__)
            raise StoreUnavailable(_unavailable_reason(exc)) from exc

    @staticmethod
    def _commit_fully_synced(connection: Connection, events: Sequence[NewEvent]) -> set[str]:
        # `synchronous` is per connection and the pool shares connections: set it for this
        # transaction (outside it, where SQLite allows the change) and restore the default.
        connection.exec_driver_sql("PRAGMA synchronous=FULL")
        try:
            inserted = insert_events(connection, events)
            connection.commit()
            return inserted
        finally:
            connection.rollback()  # ends a failed transaction; nothing to undo after a commit
            connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
            connection.commit()


def _unavailable_reason(exc: Exception) -> str:
    if "locked" in str(getattr(exc, "orig", exc)):
        return "the database stayed locked by other writers; the event was not stored"
    return "the database is unreachable; the event was not stored"


def _deliver(batch: list[_Pending], outcomes: list[Outcome]) -> None:
    """Hand each outcome to its waiter: threads directly, each event loop in one callback."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[bool], Outcome]]] = {}
    for pending, outcome in zip(batch, outcomes, strict=True):
        if pending.loop is None:
            assert isinstance(pending.future, Future)
            _settle_thread_future(pending.future, outcome)
        else:
            assert isinstance(pending.future, asyncio.Future)
            by_loop.setdefault(pending.loop, []).append((pending.future, outcome))
    for loop, settled in by_loop.items():
        try:
            loop.call_soon_threadsafe(_settle_loop_futures, settled)
        except RuntimeError:
            logger.warning("inbox writer: an event loop closed before its answers arrived")


def _settle_thread_future(future: Future[bool], outcome: Outcome) -> None:
    if future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


def _settle_loop_futures(settled: list[tuple[asyncio.Future[bool], Outcome]]) -> None:
    for future, outcome in settled:
        if future.done():  # the request was cancelled (its client went away)
            continue
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)
