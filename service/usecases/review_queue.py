"""The human review queue: list, claim and resolve reviews, and remember what analysts decided.

A review is claimed by one API key (one analyst) before it can be resolved, so two analysts
never work on the same account at once. A resolution records who, when and the account's band
at that time; `latest_analyst_resolution` hands it to rescoring, which asks
`service.domain.review_rules.analyst_override` whether the analyst's decision still stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, cast

from sqlalchemy.orm import Session

from service.db.base import utcnow
from service.db.models import Review, ReviewStatus
from service.db.repositories.decisions import get_decision, latest_decision
from service.db.repositories.review_claims import (
    claim_review,
    close_review,
    latest_resolved_review,
    list_reviews,
    reject_action_of,
    release_action,
    release_review,
)
from service.domain.actions import PlannedAction, confirm_rejection
from service.domain.review_rules import AnalystResolution, Resolution
from service.errors import ConnectRiskError, InvalidInput, NotFound
from service.usecases.store_actions import is_held_for_review


class UnknownReview(NotFound):
    """No review with this id."""

    title = "Unknown review"
    slug = "unknown-review"


class ReviewConflict(ConnectRiskError):
    """The review is claimed by someone else, not claimed by the caller, or already resolved."""

    status: ClassVar[int] = 409
    title: ClassVar[str] = "Review conflict"
    slug: ClassVar[str] = "review-conflict"


@dataclass(frozen=True)
class ReviewPage:
    """Reviews oldest first, and whether more remain."""

    reviews: tuple[Review, ...]
    has_more: bool


def read_review_queue(
    *,
    session: Session,
    status: ReviewStatus,
    limit: int,
    starting_after: str | None = None,
    account_id: str | None = None,
    claimed: bool | None = None,
) -> ReviewPage:
    """A page of reviews in `status`, oldest first, after the review `starting_after`; only
    the account's with `account_id`, only claimed or unclaimed ones with `claimed`."""
    cursor = None
    if starting_after is not None:
        cursor = session.get(Review, starting_after)
        if cursor is None or cursor.status != status:
            article = "an" if status is ReviewStatus.OPEN else "a"
            raise InvalidInput(
                f"starting_after is not {article} {status} review", loc=("query", "starting_after")
            )
    reviews = list_reviews(
        session=session,
        status=status,
        limit=limit + 1,
        starting_after=cursor,
        account_id=account_id,
        claimed=claimed,
    )
    return ReviewPage(reviews=tuple(reviews[:limit]), has_more=len(reviews) > limit)


def claim(*, session: Session, review_id: str, key_id: str) -> Review:
    """Claim an open review for the caller's key (claiming one's own claim again is fine)."""
    if not claim_review(session=session, review_id=review_id, key_id=key_id):
        review = _known_review(session, review_id)
        if review.status is ReviewStatus.RESOLVED:
            raise ReviewConflict(f"review {review_id} is already resolved")
        raise ReviewConflict(f"review {review_id} is claimed by key {review.claimed_by}")
    return _known_review(session, review_id)


def release(*, session: Session, review_id: str, key_id: str) -> Review:
    """Give back a review the caller claimed, for another analyst to take."""
    if not release_review(session=session, review_id=review_id, key_id=key_id):
        raise _not_theirs(_known_review(session, review_id), "claim it before releasing")
    return _known_review(session, review_id)


@dataclass(frozen=True)
class Resolved:
    """A resolved review, and what its resolution sends to Stripe, in words for the analyst."""

    review: Review
    at_stripe: str


def resolve(
    *, session: Session, review_id: str, key_id: str, resolution: Resolution, note: str | None
) -> Resolved:
    """Record the caller's resolution of a review they claimed, with the account's band now.

    `reject` also confirms the rejection its decision held back for a human: the reject
    action becomes planned under its original idempotency key, for the Stripe loop to send.
    When there is no such rejection to send (the policy plans none, Stripe would refuse it,
    the account is already rejected), `at_stripe` says so rather than the analyst finding
    out later that nothing happened.
    """
    review = _known_review(session, review_id)
    band, evidence = _standing_now(session, review)
    closed = close_review(
        session=session,
        review_id=review_id,
        key_id=key_id,
        outcome=resolution,
        note=note,
        band=band,
        evidence=evidence,
        resolved_at=utcnow(),
    )
    review = _known_review(session, review_id)
    if not closed:
        raise _not_theirs(review, "claim it before resolving")
    if resolution != "reject":
        return Resolved(
            review,
            f"nothing is sent to Stripe: later rescores in band {band} keep to this resolution",
        )
    if review.decision_id is None:
        return Resolved(review, "no rejection is sent: the review names no decision")
    review.confirmed_action_id = _confirm_rejection(session, review.decision_id)
    session.flush()
    return Resolved(review, _rejection_outcome(session, review))


def _rejection_outcome(session: Session, review: Review) -> str:
    if review.confirmed_action_id is not None:
        return f"rejection confirmed: action {review.confirmed_action_id} sends it to Stripe"
    assert review.decision_id is not None
    action = reject_action_of(session=session, decision_id=review.decision_id)
    if action is None:
        return (
            "no rejection is sent: the policy plans none for this decision's band and segment; "
            "reject the account at Stripe directly if it must be"
        )
    return f"no rejection is sent: {action.error or action.status}"


def latest_analyst_resolution(*, session: Session, account_id: str) -> AnalystResolution | None:
    """The account's most recent analyst resolution, for rescoring to respect; None if none."""
    review = latest_resolved_review(session=session, account_id=account_id)
    if review is None or review.band_at_resolution is None or review.resolved_at is None:
        return None
    return AnalystResolution(
        outcome=cast(Resolution, review.outcome),
        band=review.band_at_resolution,
        resolved_at=review.resolved_at,
        evidence=review.evidence_at_resolution,
    )


def _not_theirs(review: Review, advice: str) -> ReviewConflict:
    """Why a change only the claiming key may make was refused: resolved, or not its claim."""
    if review.status is ReviewStatus.RESOLVED:
        return ReviewConflict(f"review {review.id} is already resolved")
    holder = f"claimed by key {review.claimed_by}" if review.claimed_by else "not claimed"
    return ReviewConflict(f"review {review.id} is {holder}; {advice}")


def _confirm_rejection(session: Session, decision_id: str) -> str | None:
    action = reject_action_of(session=session, decision_id=decision_id)
    # Only a rejection held for this review is released: one the platform may not send (a
    # Standard account, losses on Stripe) or that changes nothing stays as it was recorded.
    if action is None or not is_held_for_review(action):
        return None
    # The domain rule decides what a confirmation is; storage only records its outcome.
    confirm_rejection(
        PlannedAction(
            kind="reject",
            account_id=action.account_id,
            params=action.params,
            idempotency_key=action.idempotency_key,
            status="awaiting_review",
            reason="held for an analyst",
        )
    )
    release_action(session=session, action=action)
    return action.id


def _standing_now(session: Session, review: Review) -> tuple[str | None, str | None]:
    """The account's band and evidence digest now, from its latest decision."""
    decision = latest_decision(session=session, account_id=review.account_id)
    if decision is None and review.decision_id is not None:
        decision = get_decision(session=session, decision_id=review.decision_id)
    if decision is None:
        return None, None
    return decision.band, decision.evidence_digest


def _known_review(session: Session, review_id: str) -> Review:
    review = session.get(Review, review_id, populate_existing=True)
    if review is None:
        raise UnknownReview(f"no review {review_id}")
    return review
