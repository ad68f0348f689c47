"""/v1/scores: score an account with the champion model and record the decision."""

from __future__ import annotations

from fastapi import APIRouter, Request

from service.api.deps import (
    DatabaseDep,
    MetricsDep,
    ModelStatusDep,
    SessionDep,
    SettingsDep,
    require_scope,
)
from service.api.problems import problem_responses
from service.api.schemas.scores import ScorePublic, ScoreRequest
from service.db.base import utcnow
from service.domain.policy_model import Policy
from service.domain.policy_yaml import load_configured_policy
from service.errors import ModelNotReady
from service.scoring.champion import ChampionModel
from service.settings import Settings
from service.usecases.score_account import assess_account, record_assessment

router = APIRouter(
    prefix="/v1",
    tags=["scores"],
    dependencies=[require_scope("scores:write")],
    responses=problem_responses(401, 403, 404, 413, 422, 503),
)


def _policy(request: Request, settings: Settings) -> Policy:
    # Parsed on first use and kept: the policy file only changes with a restart.
    policy: Policy | None = getattr(request.app.state, "policy", None)
    if policy is None:
        policy = load_configured_policy(settings.policy_path)
        request.app.state.policy = policy
    return policy


@router.post("/scores", response_model=ScorePublic, status_code=201)
def create_score(
    body: ScoreRequest,
    request: Request,
    session: SessionDep,
    database: DatabaseDep,
    settings: SettingsDep,
    model_status: ModelStatusDep,
    metrics: MetricsDep,
) -> ScorePublic:
    """Score an inline Stripe Account or a known account as of `as_of` (default now).

    Records the decision and its planned actions (dry run: nothing is sent to Stripe here)
    and returns them; 503 while no champion model is loaded.
    """
    if not isinstance(model_status, ChampionModel):
        raise ModelNotReady("no champion model is loaded; promote one and retry")
    champion = model_status.current()
    assessment = assess_account(
        session=session,
        champion=champion,
        policy=_policy(request, settings),
        as_of=body.as_of or utcnow(),
        account=body.account_object(),
        account_id=body.account_id,
        network=request.app.state.network.current(),
        shadow=request.app.state.shadow(),
    )
    with database.write_turn():
        outcome = record_assessment(session, assessment)
        session.commit()
    metrics.decisions.labels(band=outcome.band).inc()
    return ScorePublic.of(outcome)
