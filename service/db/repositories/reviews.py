"""The human review queue: open a review, resolve it, count what is waiting."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.db.base import new_id, utcnow
from service.db.models import Account, Review, ReviewStatus


def open_review(
    *, session: Session, account_id: str, reason: str, decision_id: str | None = None
) -> Review:
    """Put an account in front of a human, with the reason policy gave."""
    review = Review(
        id=new_id("rev"),
        account_id=account_id,
        decision_id=decision_id,
        reason=reason,
        status=ReviewStatus.OPEN,
    )
    session.add(review)
    session.flush()
    return review


def find_open_review(
    *, session: Session, account_id: str, for_update: bool = False
) -> Review | None:
    """The account's oldest open review, if any: one account waits in the queue once.

    `for_update` first locks the account's row until the caller commits (PostgreSQL; SQLite
    has one writer anyway), so two transactions that may open a review for it take turns
    instead of both finding none. `FOR NO KEY UPDATE`: it does not wait for, or deadlock
    with, the key-share locks that inserting its decisions and actions take.
    """
    if for_update:
        lock = select(Account.id).where(Account.id == account_id).with_for_update(key_share=True)
        session.execute(lock)
    statement = (
        select(Review)
        .where(Review.account_id == account_id, Review.status == ReviewStatus.OPEN)
        .order_by(Review.created_at, Review.id)
        .limit(1)
    )
    return session.scalars(statement).first()


def resolve_review(
    *, session: Session, review_id: str, outcome: str, resolved_by: str, note: str | None = None
) -> Review | None:
    """Close an open review with its outcome; None if unknown, unchanged if already resolved."""
    review = session.get(Review, review_id, with_for_update=True)
    if review is None or review.status is ReviewStatus.RESOLVED:
        return review
    review.status = ReviewStatus.RESOLVED
    review.outcome = outcome
    review.resolved_by = resolved_by
    review.note = note
    review.resolved_at = utcnow()
    session.flush()
    return review


def list_open_reviews(*, session: Session, limit: int = 50) -> list[Review]:
    """Open reviews, oldest first (the order a human should take them in)."""
    statement = (
        select(Review)
        .where(Review.status == ReviewStatus.OPEN)
        .order_by(Review.created_at, Review.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def count_open_reviews(*, session: Session) -> int:
    """How many reviews are waiting for a human."""
    statement = select(func.count()).select_from(Review).where(Review.status == ReviewStatus.OPEN)
    return int(session.scalar(statement) or 0)
