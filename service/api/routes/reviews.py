"""/v1/reviews: the queue of accounts policy sent to a human; claim one, then resolve it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from service.api.deps import SessionDep, require_scope
from service.api.problems import problem_responses
from service.api.schemas.common import ACCOUNT_ID_PATTERN, PageLimit
from service.api.schemas.reviews import (
    ReviewPublic,
    ReviewResolve,
    ReviewResolvedPublic,
    ReviewsPublic,
)
from service.auth.keys import ApiKeyPrincipal
from service.db.models import ReviewStatus
from service.usecases.review_queue import claim, read_review_queue, release, resolve

router = APIRouter(
    prefix="/v1/reviews",
    tags=["reviews"],
    responses=problem_responses(401, 403, 422, 503),
)

ReviewId = Annotated[str, Path(min_length=1, max_length=40, description="A review id")]
Reviewer = Annotated[ApiKeyPrincipal, require_scope("review:write")]
Cursor = Annotated[
    str | None, Query(max_length=40, description="The last review id of the previous page")
]
AccountFilter = Annotated[
    str | None,
    Query(pattern=ACCOUNT_ID_PATTERN, description="Only this account's reviews (`acct_…`)"),
]
ClaimedFilter = Annotated[
    bool | None, Query(description="Only reviews an analyst claimed (true) or nobody has (false)")
]


@router.get("", response_model=ReviewsPublic, dependencies=[require_scope("review:read")])
def read_reviews(
    session: SessionDep,
    status: ReviewStatus = ReviewStatus.OPEN,
    limit: PageLimit = 20,
    starting_after: Cursor = None,
    account: AccountFilter = None,
    claimed: ClaimedFilter = None,
) -> ReviewsPublic:
    """Reviews in `status` (default open), oldest first: the order to work through them.
    `claimed=false` leaves the ones nobody took yet; `account` one account's reviews."""
    page = read_review_queue(
        session=session,
        status=status,
        limit=limit,
        starting_after=starting_after,
        account_id=account,
        claimed=claimed,
    )
    return ReviewsPublic(
        data=[ReviewPublic.of(review) for review in page.reviews], has_more=page.has_more
    )


# The routes that name one review: it may not exist (404) or not be the caller's to change (409).
ONE_REVIEW = problem_responses(404, 409)


@router.post("/{review_id}/claim", response_model=ReviewPublic, responses=ONE_REVIEW)
def claim_review(review_id: ReviewId, session: SessionDep, key: Reviewer) -> ReviewPublic:
    """Claim a review for the calling key; 409 if another key holds it or it is resolved."""
    review = claim(session=session, review_id=review_id, key_id=key.key_id)
    session.commit()
    return ReviewPublic.of(review)


@router.post("/{review_id}/release", response_model=ReviewPublic, responses=ONE_REVIEW)
def release_review(review_id: ReviewId, session: SessionDep, key: Reviewer) -> ReviewPublic:
    """Give back a review the calling key claimed, unclaimed, for another analyst to take;
    409 if the caller does not hold it or it is resolved."""
    review = release(session=session, review_id=review_id, key_id=key.key_id)
    session.commit()
    return ReviewPublic.of(review)


@router.post(
    "/{review_id}/resolve",
    response_model=ReviewResolvedPublic,
    responses={**ONE_REVIEW, **problem_responses(413, 415)},
)
def resolve_review(
    review_id: ReviewId, body: ReviewResolve, session: SessionDep, key: Reviewer
) -> ReviewResolvedPublic:
    """Resolve a review the calling key claimed: approve, hold, or reject (confirms rejection).

    409 if the caller has not claimed it or it is already resolved.
    """
    resolved = resolve(
        session=session,
        review_id=review_id,
        key_id=key.key_id,
        resolution=body.resolution,
        note=body.note,
    )
    session.commit()
    return ReviewResolvedPublic(
        **ReviewPublic.of(resolved.review).model_dump(), at_stripe=resolved.at_stripe
    )
