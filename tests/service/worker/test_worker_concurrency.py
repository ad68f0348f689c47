"""Several workers on PostgreSQL: SKIP LOCKED splits the inbox, and no event is applied twice."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy.orm import Session
from worker_support import LoggingRescorer, event, inbox_row, inject, payout, unique

from service.db.database import Database
from service.db.models import InboxStatus
from service.worker.runner import run_until_stopped
from service.worker.worker import Worker

pytestmark = pytest.mark.postgres


class SlowLoggingRescorer(LoggingRescorer):
    """Takes a little time per call, so every worker gets a share of the inbox."""

    def __init__(self, database: Database, seconds: float) -> None:
        super().__init__(database)
        self.seconds = seconds
        self.by_thread: dict[str, int] = {}

    def rescore(
        self, session: Session, account_id: str, reason: str, event_id: str | None = None
    ) -> None:
        time.sleep(self.seconds)
        name = threading.current_thread().name
        self.by_thread[name] = self.by_thread.get(name, 0) + 1
        super().rescore(session, account_id, reason)


def test_workers_split_the_inbox_and_apply_each_event_once(postgres_database: Database) -> None:
    accounts = [unique("acct") for _ in range(30)]
    events = [event("payout.failed", payout(), created=1, account=acct) for acct in accounts]
    inject(postgres_database, events)
    logged = SlowLoggingRescorer(postgres_database, seconds=0.01)
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=run_until_stopped,
            args=(Worker(database=postgres_database, rescorer=logged), stop),
            kwargs={"batch": 3, "poll_seconds": 0.05},
            name=f"worker-{n}",
        )
        for n in range(3)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(logged.committed(postgres_database)) < len(events):
        assert time.monotonic() < deadline, "workers did not finish"
        time.sleep(0.05)
    time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(10)
    assert logged.committed(postgres_database) == sorted((a, "payout_failed") for a in accounts)
    assert len(logged.by_thread) >= 2, logged.by_thread
    assert all(inbox_row(postgres_database, e["id"]).attempts == 1 for e in events)


def test_a_stalled_worker_loses_its_lease_and_its_effects(postgres_database: Database) -> None:
    acct = unique("acct")
    evt = event("payout.failed", payout(), created=1, account=acct)
    inject(postgres_database, [evt])
    logged = LoggingRescorer(postgres_database)
    release = threading.Event()

    class Stalling(LoggingRescorer):
        def rescore(
            self, session: Session, account_id: str, reason: str, event_id: str | None = None
        ) -> None:
            super().rescore(session, account_id, reason)
            release.wait(20)

    stalled = Worker(
        database=postgres_database,
        rescorer=Stalling(postgres_database),
        lease=dt.timedelta(seconds=0.5),
    )
    thread = threading.Thread(target=stalled.run_once)
    thread.start()
    time.sleep(1.0)  # the lease has expired while the worker is stuck mid-event
    rescuer = Worker(database=postgres_database, rescorer=logged)
    # The stalled transaction still holds its row locks, so the rescuer waits on them until
    # the stalled worker wakes up, finds its lease gone and rolls back.
    waker = threading.Timer(0.5, release.set)
    waker.start()
    started = time.monotonic()
    assert rescuer.run_once().done == 1
    assert time.monotonic() - started < 10
    thread.join(20)
    waker.join()
    assert logged.committed(postgres_database) == [(acct, "payout_failed")]
    row = inbox_row(postgres_database, evt["id"])
    assert (row.status, row.attempts) == (InboxStatus.DONE, 2)
