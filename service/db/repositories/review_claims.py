"""Claiming and resolving reviews atomically, so two analysts never work on or close one twice.

Each change is one conditional UPDATE: whichever transaction runs it first wins, on SQLite and
PostgreSQL alike, with no read-then-write window between two callers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import CursorResult, Result, or_, select, update
from sqlalchemy.orm import Session

from service.db.base import utcnow
from service.db.models import Action, ActionStatus, ApiKey, Review, ReviewStatus
from service.db.repositories.paging import after_cursor


def claim_review(*, session: Session, review_id: str, key_id: str) -> bool:
    """Claim an open review for `key_id`; True if it is now theirs (also if it already was).

    A claim lasts as long as the key that made it: once that key is revoked (an analyst who
    left), anyone may take the review over, or it would wait for a key that can never resolve it.
    """
    revoked = select(ApiKey.id).where(ApiKey.revoked_at.is_not(None))
    statement = (
        update(Review)
        .where(
            Review.id == review_id,
            Review.status == ReviewStatus.OPEN,
            or_(
                Review.claimed_by.is_(None),
                Review.claimed_by == key_id,
                Review.claimed_by.in_(revoked),
            ),
        )
        .values(claimed_by=key_id, claimed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    claimed = _changed_one(session.execute(statement))
    session.expire_all()
    return claimed


def release_review(*, session: Session, review_id: str, key_id: str) -> bool:
    """Give back a review `key_id` claimed, open and unclaimed again; False if it is not open
    or not theirs."""
    return _change_held(session, review_id, key_id, claimed_by=None, claimed_at=None)


def close_review(
    *,
    session: Session,
    review_id: str,
    key_id: str,
    outcome: str,
    note: str | None,
    band: str | None,
    resolved_at: dt.datetime,
    evidence: str | None = None,
) -> bool:
    """Resolve a review the caller has claimed, with the account's band and evidence digest
    then; False if it is not open or not theirs."""
    return _change_held(
        session,
        review_id,
        key_id,
        status=ReviewStatus.RESOLVED,
        outcome=outcome,
        note=note,
        resolved_by=key_id,
        resolved_at=resolved_at,
        band_at_resolution=band,
        evidence_at_resolution=evidence,
    )


def _change_held(session: Session, review_id: str, key_id: str, **values: Any) -> bool:
    """Set `values` on an open review `key_id` holds, in one conditional UPDATE; whether it
    did (False: resolved meanwhile, or someone else's claim)."""
    statement = (
        update(Review)
        .where(
            Review.id == review_id,
            Review.status == ReviewStatus.OPEN,
            Review.claimed_by == key_id,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    changed = _changed_one(session.execute(statement))
    session.expire_all()
    return changed


def _changed_one(result: Result[Any]) -> bool:
    # An UPDATE returns a CursorResult; its rowcount says whether the condition matched.
    return cast(CursorResult[Any], result).rowcount == 1


def list_reviews(
    *,
    session: Session,
    status: ReviewStatus,
    limit: int,
    starting_after: Review | None = None,
    account_id: str | None = None,
    claimed: bool | None = None,
) -> list[Review]:
    """Up to `limit` reviews in `status`, oldest first (the order a human should take them in);
    only the account's with `account_id`, only claimed or unclaimed ones with `claimed`."""
    statement = select(Review).where(Review.status == status)
    if account_id is not None:
        statement = statement.where(Review.account_id == account_id)
    if claimed is not None:
        statement = statement.where(
            Review.claimed_by.is_not(None) if claimed else Review.claimed_by.is_(None)
        )
    if starting_after is not None:
        cursor = (starting_after.created_at, starting_after.id)
        statement = statement.where(after_cursor(Review.created_at, Review.id, cursor))
    statement = statement.order_by(Review.created_at, Review.id).limit(limit)
    return list(session.scalars(statement))


def latest_resolved_review(*, session: Session, account_id: str) -> Review | None:
    """The account's most recently resolved review, or None."""
    statement = (
        select(Review)
        .where(Review.account_id == account_id, Review.status == ReviewStatus.RESOLVED)
        .order_by(Review.resolved_at.desc(), Review.id.desc())
        .limit(1)
    )
    return session.scalars(statement).first()


def reject_action_of(*, session: Session, decision_id: str) -> Action | None:
    """The reject action a decision planned, or None if its policy cell did not reject."""
    statement = select(Action).where(Action.decision_id == decision_id, Action.kind == "reject")
    return session.scalars(statement).first()


def release_action(*, session: Session, action: Action) -> None:
    """Mark a held-back action as planned, so the Stripe loop sends it under its original key.

    Its params stay untouched: they are exactly what Stripe will receive.
    """
    action.status = ActionStatus.PLANNED
    action.error = None
    session.flush()
