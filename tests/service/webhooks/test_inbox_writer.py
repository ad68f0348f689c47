"""The inbox writer's group commit on SQLite and PostgreSQL: every event once, answered after
its batch committed, batches failing as a whole only when the database is unavailable."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from service.db.database import Database
from service.db.models import InboxEvent, InboxStatus
from service.db.repositories.inbox import NewEvent
from service.db.repositories.inbox_writer import InboxWriter
from service.errors import StoreUnavailable


def _event(event_id: str) -> NewEvent:
    payload = {"id": event_id, "object": "event", "type": "payout.paid", "created": 1_760_000_000}
    return NewEvent(
        event_id=event_id,
        type="payout.paid",
        event_created=1_760_000_000,
        payload=payload,
        account_id="acct_writer",
    )


def _stored(database: Database) -> dict[str, InboxEvent]:
    with database.session() as session:
        return {row.event_id: row for row in session.scalars(select(InboxEvent))}


@pytest.fixture
def writer(database: Database) -> Iterator[InboxWriter]:
    yield InboxWriter(database, idle_seconds=0.05)


def test_concurrent_deliveries_with_replays_store_each_event_once(
    writer: InboxWriter, database: Database
) -> None:
    rng = random.Random(8)
    ids = [f"evt_w{number:03d}" for number in range(120)]
    deliveries = ids + rng.choices(ids, k=180)  # every event, many of them several times
    rng.shuffle(deliveries)
    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = list(
            pool.map(lambda event_id: (event_id, writer.submit(_event(event_id))), deliveries)
        )
        answers = [(event_id, future.result(timeout=30)) for event_id, future in futures]
    new = Counter(event_id for event_id, inserted in answers if inserted)
    assert new == Counter(ids)  # exactly one delivery of each id was told "new"
    stored = _stored(database)
    assert sorted(stored) == sorted(ids)
    row = stored[ids[0]]
    assert (row.type, row.account_id, row.status, row.attempts) == (
        "payout.paid",
        "acct_writer",
        InboxStatus.RECEIVED,
        0,
    )
    assert row.payload == _event(ids[0]).payload


def test_an_answer_comes_only_after_the_event_is_committed(
    writer: InboxWriter, database: Database
) -> None:
    for number in range(5):
        event_id = f"evt_visible_{number}"
        assert writer.submit(_event(event_id)).result(timeout=30) is True
        # A separate connection sees it: the transaction holding it has committed.
        with database.engine.connect() as connection:
            table = InboxEvent.__table__
            count = connection.execute(
                select(func.count()).select_from(table).where(table.c.event_id == event_id)
            ).scalar_one()
        assert count == 1


def test_events_arriving_during_a_commit_share_the_next_one(tmp_path: Path) -> None:
    database = Database.connect(f"sqlite:///{tmp_path / 'group.db'}")
    database.ensure_schema()
    inserts: list[str] = []

    def count_inserts(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith("INSERT INTO webhook_inbox"):
            inserts.append(statement)

    event.listen(database.engine, "before_cursor_execute", count_inserts)
    writer = InboxWriter(database)
    # Another writer holds SQLite's write lock, so the first batch waits (busy_timeout) while
    # the other events queue up behind it.
    blocker = database.engine.raw_connection()
    try:
        blocker.cursor().execute("BEGIN IMMEDIATE")
        futures = [writer.submit(_event(f"evt_group_{number:02d}")) for number in range(50)]
        time.sleep(0.3)
        assert not any(future.done() for future in futures)
        blocker.rollback()
        assert all(future.result(timeout=30) for future in futures)
    finally:
        blocker.close()
    assert len(inserts) <= 2
    assert len(_stored(database)) == 50
    database.dispose()


def test_an_event_the_database_refuses_fails_alone(writer: InboxWriter, database: Database) -> None:
    # A NULL type violates NOT NULL: the batch is retried one event at a time.
    refused = NewEvent(event_id="evt_refused", type=None, event_created=1, payload={})  # type: ignore[arg-type]
    futures: list[tuple[str, Future[bool]]] = [
        ("evt_before", writer.submit(_event("evt_before"))),
        ("evt_refused", writer.submit(refused)),
        ("evt_after", writer.submit(_event("evt_after"))),
    ]
    outcomes = {}
    for event_id, future in futures:
        exception = future.exception(timeout=30)
        outcomes[event_id] = "refused" if exception is not None else future.result()
    assert outcomes == {"evt_before": True, "evt_refused": "refused", "evt_after": True}
    assert sorted(_stored(database)) == ["evt_after", "evt_before"]


def test_an_unreachable_database_fails_the_batch_with_store_unavailable() -> None:
    database = Database.connect("postgresql+psycopg://postgres@127.0.0.1:1/none")
    try:
        future = InboxWriter(database).submit(_event("evt_nowhere"))
        with pytest.raises(StoreUnavailable, match="not stored"):
            future.result(timeout=30)
    finally:
        database.dispose()


def test_the_thread_ends_when_idle_and_comes_back(writer: InboxWriter) -> None:
    assert writer.submit(_event("evt_idle_1")).result(timeout=30) is True
    deadline = time.monotonic() + 10
    while writer.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not writer.running
    assert writer.submit(_event("evt_idle_2")).result(timeout=30) is True
    assert writer.submit(_event("evt_idle_1")).result(timeout=30) is False


def test_sqlite_batches_commit_fully_synced_and_leave_the_pool_at_normal(tmp_path: Path) -> None:
    database = Database.connect(f"sqlite:///{tmp_path / 'sync.db'}")
    database.ensure_schema()
    database.engine.dispose()  # new connections from here on, each traced
    statements: list[str] = []

    def trace(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.set_trace_callback(statements.append)

    event.listen(database.engine, "connect", trace)
    InboxWriter(database).submit(_event("evt_sync")).result(timeout=30)
    kinds = [
        statement.split()[0] if not statement.startswith("PRAGMA synchronous") else statement
        for statement in statements
        if statement.startswith(("PRAGMA synchronous", "INSERT", "COMMIT"))
    ]
    assert kinds[-4:] == [
        "PRAGMA synchronous=FULL",
        "INSERT",
        "COMMIT",
        "PRAGMA synchronous=NORMAL",
    ]
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar_one() == 1  # NORMAL
    database.dispose()


def test_requests_on_an_event_loop_get_their_answers(
    writer: InboxWriter, database: Database
) -> None:
    ids = [f"evt_loop_{number:02d}" for number in range(40)]

    async def deliver_all() -> list[bool]:
        deliveries = [writer.store(_event(event_id)) for event_id in ids + ids[:10]]
        return list(await asyncio.gather(*deliveries))

    answers = asyncio.run(deliver_all())
    assert answers == [True] * 40 + [False] * 10
    assert sorted(_stored(database)) == ids
