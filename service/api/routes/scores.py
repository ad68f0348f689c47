"""/v1/scores: score an account with the champion model and record the decision."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from service.api.deps import ScoringDep, SessionDep, require_scope
from service.api.problems import problem_responses
from service.api.schemas.scores import ScorePublic, ScoreRequest
from service.db.base import utcnow
from service.usecases.score_account import (
    ScoreOutcome,
    assess_account,
    current_instant,
    is_retrospective,
    record_assessment,
)

router = APIRouter(
    prefix="/v1",
    tags=["scores"],
    dependencies=[require_scope("scores:write")],
    responses=problem_responses(401, 403, 404, 413, 415, 422, 503),
)


@router.post("/scores", response_model=ScorePublic, status_code=201)
async def create_score(body: ScoreRequest, session: SessionDep, scoring: ScoringDep) -> ScorePublic:
    """Score an inline Stripe Account or a known account as of `as_of` (default now).

    Records the decision and its planned actions (the worker sends them to Stripe; an `as_of`
    in the past plans nothing to send) and returns them; 503 while no champion model is loaded.
    """

    def score() -> ScoreOutcome:
        # All of the blocking work (reads, model, writes) in one trip to the thread pool.
        now = utcnow()
        as_of = body.as_of or current_instant(now)
        assessment = assess_account(
            session=session,
            champion=scoring.champion,
            policy=scoring.policy,
            as_of=as_of,
            account=body.account_object(),
            account_id=body.account_id,
            network=scoring.network,
            shadow=scoring.shadow,
            retrospective=is_retrospective(as_of, now),
        )
        with scoring.database.write_turn():
            outcome = record_assessment(session, assessment)
            session.commit()
        return outcome

    outcome = await run_in_threadpool(score)
    scoring.metrics.decisions.labels(band=outcome.band).inc()
    return ScorePublic.of(outcome)
