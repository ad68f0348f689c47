"""/v1/decisions/{id} and /v1/accounts/{account}/decisions: the audit trail of decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from service.api.deps import SessionDep, require_scope
from service.api.problems import problem_responses
from service.api.schemas.common import AccountId, PageLimit
from service.api.schemas.decisions import DecisionPublic, DecisionsPublic, DecisionSummaryPublic
from service.usecases.read_accounts import read_decision, read_decision_history

router = APIRouter(
    prefix="/v1",
    tags=["decisions"],
    dependencies=[require_scope("decisions:read")],
    responses=problem_responses(401, 403, 404, 422, 503),
)

DecisionId = Annotated[str, Path(min_length=1, max_length=40, description="A decision id")]
Cursor = Annotated[
    str | None,
    Query(max_length=40, description="The last decision id of the previous page"),
]


@router.get("/accounts/{account}/decisions", response_model=DecisionsPublic)
def read_decisions(
    account: AccountId, session: SessionDep, limit: PageLimit = 20, starting_after: Cursor = None
) -> DecisionsPublic:
    """The account's decisions, newest first; page on with `starting_after`."""
    page = read_decision_history(
        session=session, account_id=account, limit=limit, starting_after=starting_after
    )
    return DecisionsPublic(
        data=[DecisionSummaryPublic.of(decision) for decision in page.decisions],
        has_more=page.has_more,
    )


@router.get("/decisions/{decision_id}", response_model=DecisionPublic)
def read_one_decision(decision_id: DecisionId, session: SessionDep) -> DecisionPublic:
    """One decision in full: inputs digest, features, score, band, reasons, versions, actions."""
    detail = read_decision(session=session, decision_id=decision_id)
    return DecisionPublic.of(detail.decision, list(detail.actions), detail.requests)
