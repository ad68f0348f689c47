"""Stripe actions a decision planned, and the outcome of applying each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.base import new_id
from service.db.models import Action, ActionStatus


def plan_action(
    *,
    session: Session,
    decision_id: str,
    account_id: str,
    kind: str,
    params: dict[str, Any],
    idempotency_key: str,
    status: ActionStatus = ActionStatus.PLANNED,
    error: str | None = None,
    capability: str | None = None,
) -> Action:
    """Record an action before any call to Stripe is made: `planned`, or `skipped` with the
    reason in `error` (nothing to send, not controllable, or waiting for an analyst)."""
    action = Action(
        id=new_id("act"),
        decision_id=decision_id,
        account_id=account_id,
        kind=kind,
        params=params,
        idempotency_key=idempotency_key,
        status=status,
        attempts=0,
        error=error,
        capability=capability,
    )
    session.add(action)
    session.flush()
    return action


def record_action_outcome(
    *,
    session: Session,
    action_id: str,
    status: ActionStatus,
    stripe_response: dict[str, Any] | None = None,
    error: str | None = None,
) -> Action:
    """Store how applying an action went (one more attempt); KeyError if the id is unknown."""
    action = session.get(Action, action_id, with_for_update=True)
    if action is None:
        raise KeyError(action_id)
    action.status = status
    action.attempts += 1
    action.stripe_response = stripe_response
    action.error = error
    session.flush()
    return action


def actions_for_decision(*, session: Session, decision_id: str) -> list[Action]:
    """The decision's actions in the order they were planned."""
    statement = (
        select(Action)
        .where(Action.decision_id == decision_id)
        .order_by(Action.created_at, Action.id)
    )
    return list(session.scalars(statement))
