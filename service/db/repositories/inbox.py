"""The webhook inbox: store each Stripe event once, lease batches to workers, record outcomes.

Workers on PostgreSQL claim with `FOR UPDATE SKIP LOCKED`, so concurrent workers take different
events without waiting on each other. SQLite has one writer at a time; there the conditional
UPDATE below is what keeps two workers from claiming the same event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from service.db.base import utcnow
from service.db.models import InboxEvent, InboxStatus
from service.db.repositories.conflicts import insert_ignoring_conflicts

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


def _claimable(now: dt.datetime) -> Any:
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
    candidates = (
        select(InboxEvent.id)
        .where(_claimable(now))
        .order_by(InboxEvent.received_at, InboxEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.scalars(candidates))
    if not ids:
        return []
    claim = (
        update(InboxEvent)
        .where(InboxEvent.id.in_(ids), _claimable(now))
        .values(
            status=InboxStatus.PROCESSING,
            lease_owner=worker,
            lease_expires_at=now + lease,
            attempts=InboxEvent.attempts + 1,
        )
        .returning(InboxEvent.id)
        .execution_options(synchronize_session=False)
    )
    claimed = list(session.scalars(claim))
    statement = (
        select(InboxEvent)
        .where(InboxEvent.id.in_(claimed))
        .order_by(InboxEvent.received_at, InboxEvent.id)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(statement))


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


def count_pending_events(*, session: Session) -> int:
    """Events still waiting or being processed: the inbox depth."""
    statement = select(func.count()).select_from(InboxEvent).where(InboxEvent.status.in_(PENDING))
    return int(session.scalar(statement) or 0)
