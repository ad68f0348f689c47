"""The human review queue: reviews as analysts see them, and what they send to resolve one."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from service.api.schemas.common import ListPublic
from service.db.models import Review
from service.domain.review_rules import Resolution

MAX_NOTE = 2000


class ReviewBase(BaseModel):
    """Which account (and decision) a review is about, and why policy sent it to a human."""

    account_id: str
    decision_id: str | None
    reason: str


class ReviewResolve(BaseModel):
    """An analyst's conclusion: approve, hold or reject (reject confirms a planned rejection)."""

    model_config = ConfigDict(extra="forbid")

    resolution: Resolution
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class ReviewPublic(ReviewBase):
    """One review: its state, who claimed and resolved it, and how."""

    id: str
    status: str
    created_at: dt.datetime
    claimed_by: str | None
    claimed_at: dt.datetime | None
    resolution: str | None
    note: str | None
    resolved_by: str | None
    resolved_at: dt.datetime | None
    band_at_resolution: str | None
    confirmed_action_id: str | None

    @classmethod
    def of(cls, review: Review) -> ReviewPublic:
        """The public view of a stored review."""
        return cls(
            id=review.id,
            account_id=review.account_id,
            decision_id=review.decision_id,
            reason=review.reason,
            status=str(review.status),
            created_at=review.created_at,
            claimed_by=review.claimed_by,
            claimed_at=review.claimed_at,
            resolution=review.outcome,
            note=review.note,
            resolved_by=review.resolved_by,
            resolved_at=review.resolved_at,
            band_at_resolution=review.band_at_resolution,
            confirmed_action_id=review.confirmed_action_id,
        )


class ReviewResolvedPublic(ReviewPublic):
    """A review just resolved, and what its resolution sends to Stripe."""

    at_stripe: str = Field(
        description="What the resolution sends to Stripe: a confirmed rejection's action, or "
        "why nothing is sent (approve and hold send nothing; a rejection the policy does not "
        "plan, Stripe would refuse, or that already holds is not sent)"
    )


class ReviewsPublic(ListPublic):
    """A page of the queue, oldest first."""

    data: list[ReviewPublic]
