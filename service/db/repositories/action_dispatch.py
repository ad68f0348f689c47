"""Leasing planned actions to the dispatcher that sends them to Stripe, and recording outcomes.

Claims work like the webhook inbox's (`service.db.repositories.leases`). A claimed action
keeps its status while leased, so a dispatcher that dies leaves it
claimable again once the lease runs out — and its idempotency key makes the resend harmless.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from service.db.models import Action, ActionStatus
from service.db.repositories.leases import claim_rows


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
    return claim_rows(
        session,
        Action,
        key=Action.id,
        claimable=_claimable(now),
        order_by=(Action.created_at, Action.id),
        limit=limit,
        values={"lease_owner": owner, "lease_expires_at": now + lease},
    )


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
