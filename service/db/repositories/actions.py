"""Stripe actions a decision planned, and the outcome of applying each."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Insert, and_, insert, or_, select
from sqlalchemy.orm import Session

from service.db.base import new_id, table_of, utcnow
from service.db.models import Action, ActionAttempt, ActionStatus
from service.domain.actions import STRIPE_KINDS


@dataclass(frozen=True)
class NewAction:
    """A Stripe action to record: `planned`, or `skipped` with the reason in `error`."""

    kind: str
    params: dict[str, Any]
    idempotency_key: str
    status: ActionStatus = ActionStatus.PLANNED
    error: str | None = None
    capability: str | None = None
    reason: str | None = None


def plan_actions(
    *, session: Session, decision_id: str, account_id: str, actions: Sequence[NewAction]
) -> list[str]:
    """Record a decision's actions before any call to Stripe is made, in one INSERT; their ids.

    Core, not the unit of work, like `record_decision`: it runs on every scoring request.
    """
    if not actions:
        return []
    now = utcnow()
    rows: list[dict[str, Any]] = [
        {
            "id": new_id("act"),
            "decision_id": decision_id,
            "account_id": account_id,
            "kind": action.kind,
            "params": action.params,
            "idempotency_key": action.idempotency_key,
            "status": action.status,
            "attempts": 0,
            "error": action.error,
            "capability": action.capability,
            "reason": action.reason,
            # A microsecond apart: the dispatcher sends an account's actions oldest first, so
            # they reach Stripe in the policy's order (the hold before the metadata saying why).
            "created_at": now + dt.timedelta(microseconds=position),
            "updated_at": now,
        }
        for position, action in enumerate(actions)
    ]
    session.flush()  # the decision, if the caller added it through the ORM, goes first
    session.connection().execute(_insert_actions(), rows)
    return [row["id"] for row in rows]


@functools.cache
def _insert_actions() -> Insert:
    # Built once: a fresh INSERT per score cost its cache key on every request.
    return insert(table_of(Action))


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
    """`plan_actions` for one action, returned as the stored row."""
    action = NewAction(kind, params, idempotency_key, status, error, capability)
    [action_id] = plan_actions(
        session=session, decision_id=decision_id, account_id=account_id, actions=[action]
    )
    stored = session.get(Action, action_id)
    assert stored is not None
    return stored


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
    session.add(
        ActionAttempt(
            action_id=action_id, status=status, error=error, stripe_response=stripe_response
        )
    )
    session.flush()
    return action


def requests_for_actions(
    *, session: Session, action_ids: Sequence[str]
) -> dict[str, list[ActionAttempt]]:
    """Each action's requests to Stripe with their answers, oldest first (actions that made
    none are absent)."""
    if not action_ids:
        return {}
    statement = (
        select(ActionAttempt)
        .where(ActionAttempt.action_id.in_(action_ids))
        .order_by(ActionAttempt.id)
    )
    found: dict[str, list[ActionAttempt]] = {}
    for attempt in session.scalars(statement):
        found.setdefault(attempt.action_id, []).append(attempt)
    return found


def actions_for_decision(*, session: Session, decision_id: str) -> list[Action]:
    """The decision's actions in the order they were planned."""
    statement = (
        select(Action)
        .where(Action.decision_id == decision_id)
        .order_by(Action.created_at, Action.id)
    )
    return list(session.scalars(statement))


def actions_in_force(*, session: Session, account_id: str) -> list[Action]:
    """For each Stripe setting of the account (its payout schedule, metadata, each capability,
    the rejection), the last action applied to it, whichever decision planned it; in the
    order they were applied. A later decision that found a setting already right changes
    nothing at Stripe and applies nothing, so the earlier action is still what holds."""
    statement = (
        select(Action)
        .where(
            Action.account_id == account_id,
            Action.status == ActionStatus.APPLIED,
            Action.kind.in_(STRIPE_KINDS),
        )
        .order_by(Action.updated_at, Action.created_at, Action.id)
    )
    latest: dict[tuple[str, str | None], Action] = {}
    for action in session.scalars(statement):
        latest.pop((action.kind, action.capability), None)  # re-inserted: applied order
        latest[(action.kind, action.capability)] = action
    return list(latest.values())


def unsettled_settings(*, session: Session, account_id: str) -> frozenset[str]:
    """The settings of the account that planned actions are still changing at Stripe: each
    action planned, in flight or waiting for a retry, as `payout_schedule`, `metadata` or
    `capability:<name>` (see `service.domain.facts.AccountFacts.unsettled`)."""
    waiting = or_(
        Action.status == ActionStatus.PLANNED,
        and_(Action.status == ActionStatus.FAILED, Action.next_attempt_at.is_not(None)),
    )
    statement = (
        select(Action.kind, Action.capability)
        .where(Action.account_id == account_id, waiting)
        .distinct()
    )
    return frozenset(
        f"capability:{capability}" if kind == "capability" else kind
        for kind, capability in session.execute(statement)
    )
