"""Leasing planned actions to the dispatcher that sends them to Stripe, and recording outcomes.

Claims work like the webhook inbox's (`service.db.repositories.leases`). A claimed action
keeps its status while leased, so a dispatcher that dies leaves it
claimable again once the lease runs out — and its idempotency key makes the resend harmless.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Insert,
    Update,
    and_,
    bindparam,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased

from service.db.base import table_of, utcnow
from service.db.models import Action, ActionAttempt, ActionStatus
from service.db.repositories.leases import claim_rows


@functools.cache
def _claimable() -> ColumnElement[bool]:
    # Built once (the ORM alias below made building it cost more than the claim's queries);
    # the claim binds `now`.
    now = bindparam("now", type_=Action.lease_expires_at.type)
    lease_free = or_(Action.lease_expires_at.is_(None), Action.lease_expires_at < now)
    due = or_(
        Action.status == ActionStatus.PLANNED,
        and_(Action.status == ActionStatus.FAILED, Action.next_attempt_at <= now),
    )
    # One dispatcher at a time per account: while another holds a lease on one of its actions
    # (sending it now), the rest wait, so an account's actions reach Stripe in the order they
    # were planned even with many workers, and an older setting never lands after a newer one.
    sibling = aliased(Action)
    account_busy = exists().where(
        sibling.account_id == Action.account_id,
        sibling.lease_expires_at >= now,
        sibling.status.in_((ActionStatus.PLANNED, ActionStatus.FAILED)),
    )
    return and_(due, lease_free, ~account_busy)


def claim_actions(
    *, session: Session, owner: str, limit: int, lease: dt.timedelta, now: dt.datetime
) -> list[Action]:
    """Lease up to `limit` due actions to `owner`, oldest first; commit soon after."""
    return claim_rows(
        session,
        Action,
        key=Action.id,
        claimable=_claimable(),
        params={"now": now},
        order_by=(Action.created_at, Action.id),
        limit=limit,
        values={"lease_owner": owner, "lease_expires_at": now + lease},
    )


@dataclass(frozen=True)
class RetriedActions:
    """What `retry_failed_actions` did: actions due again, and refusals it left alone."""

    retried: int
    refused: int


def retry_failed_actions(*, session: Session, now: dt.datetime) -> RetriedActions:
    """Give every action whose retries ran out a fresh set of attempts, due `now` (after the
    cause, a Stripe outage say, is over).

    An action Stripe refused (its last answer not retryable: a 400 for a permanent capability,
    say) would be refused again with the same idempotency key and parameters, so it is left as
    it is and counted in `refused`; a later decision plans the setting afresh. Their last error
    and Stripe answer stay until the next attempt replaces them (every answer is also kept in
    `action_attempts`); the dispatcher still checks each for supersession and disconnection.
    """
    exhausted = (Action.status == ActionStatus.FAILED, Action.next_attempt_at.is_(None))
    retried, refused = 0, 0
    retryable: list[str] = []
    for action_id, answer in session.execute(
        select(Action.id, Action.stripe_response).where(*exhausted)
    ):
        if isinstance(answer, dict) and answer.get("retryable") is False:
            refused += 1
        else:
            retryable.append(action_id)
    # In slices: after a long outage there may be more ids than a statement takes parameters
    # (PostgreSQL: 65,535). Each slice keeps the conditions, so a row another process changed
    # meanwhile is left alone.
    for start in range(0, len(retryable), _RETRY_SLICE):
        statement = (
            update(Action)
            .where(Action.id.in_(retryable[start : start + _RETRY_SLICE]), *exhausted)
            .values(next_attempt_at=now, attempts=0, lease_owner=None, lease_expires_at=None)
            .returning(Action.id)
            .execution_options(synchronize_session=False)
        )
        retried += len(session.scalars(statement).all())
    return RetriedActions(retried=retried, refused=refused)


_RETRY_SLICE = 5_000


@dataclass(frozen=True)
class FinishedAction:
    """How one leased action ended this attempt.

    `attempted` counts an attempt; an action settled without one (superseded, the account
    disconnected) keeps its attempt count. An attempt that `reached_stripe` (not a dry run)
    also leaves a row in `action_attempts` with Stripe's answer.
    """

    action_id: str
    status: ActionStatus
    error: str | None
    stripe_response: dict[str, Any] | None = None
    next_attempt_at: dt.datetime | None = None
    attempted: bool = True
    reached_stripe: bool = True


def finish_actions(
    *, session: Session, owner: str, finished: Sequence[FinishedAction]
) -> list[bool]:
    """Record these outcomes and release their leases, in the caller's transaction; for each,
    False if `owner` no longer held its lease (another dispatcher took it over).

    Two or three statements whatever the batch: one conditional UPDATE locks the actions
    still leased to `owner` and returns them (a write first, so SQLite never has to upgrade a
    stale read), one executemany records their outcomes, and one keeps the answers of the
    attempts that reached Stripe.
    """
    if not finished:
        return []
    table = table_of(Action)
    ids = [outcome.action_id for outcome in finished]
    still_ours = (
        update(table)
        .where(table.c.id.in_(ids), table.c.lease_owner == owner)
        .values(lease_owner=owner)
        .returning(table.c.id)
    )
    held = set(session.scalars(still_ours))
    values = [
        {
            "action_id": outcome.action_id,
            "owner": owner,
            "new_status": outcome.status,
            "new_response": outcome.stripe_response,
            "new_error": outcome.error,
            "retry_at": outcome.next_attempt_at,
            "attempted": int(outcome.attempted),
        }
        for outcome in finished
        if outcome.action_id in held
    ]
    if values:
        session.execute(_finish_statement(), values)
    answers = [
        {
            "action_id": outcome.action_id,
            "status": outcome.status,
            "error": outcome.error,
            "stripe_response": outcome.stripe_response,
            "attempted_at": utcnow(),
        }
        for outcome in finished
        if outcome.action_id in held and outcome.attempted and outcome.reached_stripe
    ]
    if answers:
        session.execute(_attempt_statement(), answers)
    return [action_id in held for action_id in ids]


@functools.cache
def _attempt_statement() -> Insert:
    return insert(table_of(ActionAttempt))


@functools.cache
def _finish_statement() -> Update:
    # Built once with bound parameters: the dispatcher records every action it settles.
    table = table_of(Action)
    return (
        update(table)
        .where(table.c.id == bindparam("action_id"), table.c.lease_owner == bindparam("owner"))
        .values(
            status=bindparam("new_status", type_=table.c.status.type),
            stripe_response=bindparam("new_response", type_=table.c.stripe_response.type),
            error=bindparam("new_error", type_=table.c.error.type),
            next_attempt_at=bindparam("retry_at", type_=table.c.next_attempt_at.type),
            attempts=table.c.attempts + bindparam("attempted", type_=table.c.attempts.type),
            lease_owner=None,
            lease_expires_at=None,
        )
    )


def count_unsent_actions(*, session: Session) -> int:
    """Actions not yet in Stripe and still to be sent: planned (claimed or not), or failed with
    a retry to come. The outbox depth: during a Stripe outage it grows with the retries,
    where counting only what is due would show an empty outbox between attempts."""
    statement = (
        select(func.count())
        .select_from(Action)
        .where(
            or_(
                Action.status == ActionStatus.PLANNED,
                and_(Action.status == ActionStatus.FAILED, Action.next_attempt_at.is_not(None)),
            )
        )
    )
    return int(session.scalar(statement) or 0)
