"""Leasing planned actions to the dispatcher that sends them to Stripe, and recording outcomes.

Mirrors the webhook inbox: on PostgreSQL concurrent dispatchers claim with
`FOR UPDATE SKIP LOCKED`; on SQLite the conditional UPDATE keeps two from claiming one
action. A claimed action keeps its status while leased, so a dispatcher that dies leaves it
claimable again once the lease runs out — and its idempotency key makes the resend harmless.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from service.db.models import Action, ActionStatus


def _claimable(now: dt.datetime) -> Any:
    lease_free = or_(Action.lease_expires_at.is_(None), Action.lease_expires_at < now)
    due = or_(
        Action.status == ActionStatus.PLANNED,
        and_(Action.status == ActionStatus.FAILED, Action.next_attempt_at <= now),
    )
    return and_(due, lease_free)


def claim_actions(
    *, session: Session, owner: str, limit: int, lease: dt.timedelta, now: dt.datetime
) -> list[Action]:
    """Lease up to `limit` due actions to `owner`, oldest first; commit soon after."""
    candidates = (
        select(Action.id)
        .where(_claimable(now))
        .order_by(Action.created_at, Action.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.scalars(candidates))
    if not ids:
        return []
    claim = (
        update(Action)
        .where(Action.id.in_(ids), _claimable(now))
        .values(lease_owner=owner, lease_expires_at=now + lease)
        .returning(Action.id)
        .execution_options(synchronize_session=False)
    )
    claimed = list(session.scalars(claim))
    statement = (
        select(Action)
        .where(Action.id.in_(claimed))
        .order_by(Action.created_at, Action.id)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(statement))


def finish_action(
    *,
    session: Session,
    action_id: str,
    owner: str,
    status: ActionStatus,
    stripe_response: dict[str, Any] | None,
    error: str | None,
    next_attempt_at: dt.datetime | None = None,
    attempted: bool = True,
) -> bool:
    """Record the outcome of one leased action and release it; False if the lease was lost.

    `attempted` counts a call to Stripe; an action settled without one (superseded, the
    account disconnected) keeps its attempt count.
    """
    action = session.get(Action, action_id, with_for_update=True, populate_existing=True)
    if action is None or action.lease_owner != owner:
        return False
    action.status = status
    action.stripe_response = stripe_response
    action.error = error
    action.next_attempt_at = next_attempt_at
    action.attempts += int(attempted)
    action.lease_owner = None
    action.lease_expires_at = None
    session.flush()
    return True


def count_due_actions(*, session: Session, now: dt.datetime) -> int:
    """Actions waiting to be sent (planned, or failed with a retry due): the outbox depth."""
    statement = select(func.count()).select_from(Action).where(_claimable(now))
    return int(session.scalar(statement) or 0)
