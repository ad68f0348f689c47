"""The webhook inbox: one row per Stripe event id, leased to one worker at a time."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from sqlalchemy import func, select, text

from service.db.database import Database
from service.db.models import InboxEvent, InboxStatus
from service.db.repositories.inbox import (
    claim_events,
    count_pending_events,
    fail_event,
    finish_event,
    store_event,
)

LEASE = dt.timedelta(minutes=5)


def put(database: Database, *event_ids: str) -> None:
    with database.session() as session, session.begin():
        for event_id in event_ids:
            store_event(
                session=session,
                event_id=event_id,
                event_type="account.updated",
                event_created=1_760_000_000,
                payload={"id": event_id, "type": "account.updated"},
                account_id="acct_1",
            )


def claim(database: Database, worker: str, limit: int = 10, **kwargs: object) -> list[InboxEvent]:
    with database.session() as session, session.begin():
        return claim_events(session=session, worker=worker, limit=limit, lease=LEASE, **kwargs)  # type: ignore[arg-type]


def test_an_event_is_stored_once(database: Database) -> None:
    with database.session() as session, session.begin():
        first = store_event(
            session=session, event_id="evt_1", event_type="a", event_created=1, payload={}
        )
        replay = store_event(
            session=session, event_id="evt_1", event_type="a", event_created=1, payload={}
        )
    with database.session() as session:
        rows = session.scalar(select(func.count()).select_from(InboxEvent))
    assert (first, replay, rows) == (True, False, 1)


def test_claim_leases_oldest_first_and_counts_an_attempt(database: Database) -> None:
    put(database, "evt_a", "evt_b", "evt_c")
    claimed = claim(database, "worker-1", limit=2)
    assert [e.event_id for e in claimed] == ["evt_a", "evt_b"]
    assert all(e.status == InboxStatus.PROCESSING and e.attempts == 1 for e in claimed)
    assert all(e.lease_owner == "worker-1" and e.lease_expires_at is not None for e in claimed)
    assert [e.event_id for e in claim(database, "worker-2")] == ["evt_c"]
    assert claim(database, "worker-3") == []


def test_an_expired_lease_is_claimable_again(database: Database) -> None:
    put(database, "evt_x")
    [first] = claim(database, "worker-dead")
    later = dt.datetime.now(dt.UTC) + LEASE + dt.timedelta(seconds=1)
    [again] = claim(database, "worker-2", now=later)
    assert again.id == first.id and again.attempts == 2 and again.lease_owner == "worker-2"
    with database.session() as session, session.begin():
        assert not finish_event(session=session, inbox_id=first.id, worker="worker-dead")
        assert finish_event(session=session, inbox_id=first.id, worker="worker-2")


def test_finished_events_leave_the_queue(database: Database) -> None:
    put(database, "evt_done", "evt_ignored", "evt_waiting")
    done, ignored = claim(database, "w", limit=2)
    with database.session() as session, session.begin():
        assert count_pending_events(session=session) == 3
        finish_event(session=session, inbox_id=done.id, worker="w")
        finish_event(session=session, inbox_id=ignored.id, worker="w", ignored=True)
        assert count_pending_events(session=session) == 1
        statuses = {e.event_id: e.status for e in session.scalars(select(InboxEvent))}
    assert statuses == {
        "evt_done": InboxStatus.DONE,
        "evt_ignored": InboxStatus.IGNORED,
        "evt_waiting": InboxStatus.RECEIVED,
    }


def test_failures_retry_until_attempts_run_out(database: Database) -> None:
    put(database, "evt_flaky")
    outcomes = []
    for _ in range(3):
        [event] = claim(database, "w")
        with database.session() as session, session.begin():
            outcomes.append(
                fail_event(
                    session=session, inbox_id=event.id, worker="w", error="Timeout", max_attempts=3
                )
            )
    assert outcomes == [InboxStatus.RECEIVED, InboxStatus.RECEIVED, InboxStatus.DEAD]
    assert claim(database, "w") == []
    with database.session() as session:
        stored = session.scalars(select(InboxEvent)).one()
    assert (stored.attempts, stored.last_error) == (3, "Timeout")


def test_concurrent_workers_claim_each_event_exactly_once(database: Database) -> None:
    event_ids = [f"evt_{i:02d}" for i in range(24)]
    put(database, *event_ids)
    claimed: list[str] = []
    lock = threading.Lock()

    def work(worker: str) -> None:
        while batch := claim(database, worker, limit=3):
            with lock:
                claimed.extend(e.event_id for e in batch)
            with database.session() as session, session.begin():
                for event in batch:
                    finish_event(session=session, inbox_id=event.id, worker=worker)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Counter(claimed) == Counter(event_ids)


@pytest.mark.postgres
def test_skip_locked_hands_concurrent_claims_different_rows(postgres_database: Database) -> None:
    database = postgres_database
    put(database, "evt_1", "evt_2", "evt_3", "evt_4")
    with database.session() as first, database.session() as second:
        first.begin()
        held = claim_events(session=first, worker="w1", limit=2, lease=LEASE)
        # Still uncommitted: the two rows stay locked. Waiting on them would be a bug, so
        # make a wait fail fast instead of hanging.
        second.begin()
        second.execute(text("SET LOCAL lock_timeout = '2s'"))
        other = claim_events(session=second, worker="w2", limit=2, lease=LEASE)
        assert {e.event_id for e in held} == {"evt_1", "evt_2"}
        assert {e.event_id for e in other} == {"evt_3", "evt_4"}
        second.commit()
        first.commit()
