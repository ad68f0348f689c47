"""The webhook inbox: store each Stripe event once, lease batches to workers, record outcomes.

Workers claim with `service.db.repositories.leases.claim_rows`: on PostgreSQL concurrent workers
take different events without waiting on each other (`FOR UPDATE SKIP LOCKED`); on SQLite a
conditional UPDATE keeps two workers from claiming the same event.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.db.base import utcnow
from service.db.models import InboxEvent, InboxStatus
from service.db.repositories.conflicts import insert_ignoring_conflicts
from service.db.repositories.leases import claim_rows

PENDING = (InboxStatus.RECEIVED, InboxStatus.PROCESSING)


def store_event(
    *,
    session: Session,
    event_id: str,
    event_type: str,
    event_created: int,
    payload: dict[str, Any],
    account_id: str | None = None,
) -> bool:
    """Store a verified event; False if an event with this id is already stored (a replay)."""
    values = {
        "event_id": event_id,
        "type": event_type,
        "event_created": event_created,
        "payload": payload,
        "account_id": account_id,
        "status": InboxStatus.RECEIVED.value,
        "attempts": 0,
        "received_at": utcnow(),
    }
    return insert_ignoring_conflicts(session, InboxEvent, values, conflict_on=["event_id"])


@dataclass(frozen=True)
class NewEvent:
    """A verified event as the inbox stores it (see `store_event` for the columns)."""

    event_id: str
    type: str
    event_created: int
    payload: dict[str, Any]
    account_id: str | None = None


def insert_events(connection: Connection, events: Sequence[NewEvent]) -> set[str]:
    """Insert many events in one statement inside the caller's transaction; the ids inserted.

    Ids already stored (replays) are skipped by the database, atomically, as in `store_event`.
    Core rather than the ORM: the group-commit writer calls this for every batch, and the ORM's
    per-statement work cost more than the insert itself.
    """
    if not events:
        return set()
    table = InboxEvent.__table__
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(table)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(table.c.event_id)
    )
    received_at = utcnow()
    rows = [
        {
            "event_id": event.event_id,
            "type": event.type,
            "event_created": event.event_created,
            "payload": event.payload,
            "account_id": event.account_id,
            "status": InboxStatus.RECEIVED.value,
            "attempts": 0,
            "received_at": received_at,
        }
        for event in events
    ]
    return set(connection.execute(statement, rows).scalars())


@functools.cache
def _claimable() -> ColumnElement[bool]:
    # Built once; the claim binds `now`.
    now = bindparam("now", type_=InboxEvent.lease_expires_at.type)
    expired_lease = and_(
        InboxEvent.status == InboxStatus.PROCESSING, InboxEvent.lease_expires_at < now
    )
    return or_(InboxEvent.status == InboxStatus.RECEIVED, expired_lease)


def claim_events(
    *,
    session: Session,
    worker: str,
    limit: int,
    lease: dt.timedelta,
    now: dt.datetime | None = None,
) -> list[InboxEvent]:
    """Lease up to `limit` events to `worker`, oldest first, counting one attempt on each.

    An event is claimable when received, or when its previous worker's lease ran out (that
    worker died). Commit soon after: on PostgreSQL the claimed rows stay locked until then.
    """
    now = now or utcnow()
    return claim_rows(
        session,
        InboxEvent,
        key=InboxEvent.id,
        claimable=_claimable(),
        params={"now": now},
        order_by=(InboxEvent.received_at, InboxEvent.id),
        limit=limit,
        values={
            "status": InboxStatus.PROCESSING,
            "lease_owner": worker,
            "lease_expires_at": now + lease,
            "attempts": InboxEvent.attempts + 1,
        },
    )


def _leased(session: Session, inbox_id: int, worker: str) -> InboxEvent | None:
    event = session.get(InboxEvent, inbox_id, with_for_update=True, populate_existing=True)
    if event is None or event.status != InboxStatus.PROCESSING or event.lease_owner != worker:
        return None
    return event


def finish_event(*, session: Session, inbox_id: int, worker: str, ignored: bool = False) -> bool:
    """Mark a leased event done (or ignored); False if `worker` no longer holds its lease."""
    event = _leased(session, inbox_id, worker)
    if event is None:
        return False
    event.status = InboxStatus.IGNORED if ignored else InboxStatus.DONE
    if not ignored:
        event.last_error = None  # an earlier attempt's error no longer describes a done event
    event.lease_owner = None
    event.lease_expires_at = None
    event.processed_at = utcnow()
    session.flush()
    return True


def fail_event(
    *, session: Session, inbox_id: int, worker: str, error: str, max_attempts: int
) -> InboxStatus | None:
    """Record a failed attempt: back to received for a retry, or dead once attempts run out.

    Returns the new status, or None if `worker` no longer holds the lease. `error` is stored
    and shown to operators, so it must not contain account data.
    """
    event = _leased(session, inbox_id, worker)
    if event is None:
        return None
    event.status = InboxStatus.DEAD if event.attempts >= max_attempts else InboxStatus.RECEIVED
    event.last_error = error
    event.lease_owner = None
    event.lease_expires_at = None
    session.flush()
    return event.status


def give_back_event(*, session: Session, inbox_id: int, worker: str) -> bool:
    """Return a leased event to the inbox uncharged: its attempt never reached the event (the
    database connection dropped), so it is claimable at once with the attempt it had. False
    if `worker` no longer holds the lease."""
    event = _leased(session, inbox_id, worker)
    if event is None:
        return False
    event.status = InboxStatus.RECEIVED
    event.attempts = max(0, event.attempts - 1)
    event.lease_owner = None
    event.lease_expires_at = None
    session.flush()
    return True


def count_pending_events(*, session: Session) -> int:
    """Events still waiting or being processed: the inbox depth."""
    statement = select(func.count()).select_from(InboxEvent).where(InboxEvent.status.in_(PENDING))
    return int(session.scalar(statement) or 0)


def requeue_dead_events(*, session: Session) -> int:
    """Give every dead event a fresh set of attempts (after the cause was fixed); returns how
    many. Their last error stays until the next attempt replaces it."""
    statement = (
        update(InboxEvent)
        .where(InboxEvent.status == InboxStatus.DEAD)
        .values(
            status=InboxStatus.RECEIVED,
            attempts=0,
            lease_owner=None,
            lease_expires_at=None,
            processed_at=None,
        )
        .returning(InboxEvent.id)
        .execution_options(synchronize_session=False)
    )
    return len(list(session.scalars(statement)))
