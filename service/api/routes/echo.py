"""POST /v1/echo: the load benchmark's baseline, mounted only when `echo_endpoint` is set.

It pays for what every scoring request pays before the model runs (middleware, the API key
lookup with its scope check, the same body model and its validation, JSON out) and nothing
else, so `POST /v1/scores` throughput can be read as a share of it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from service.api.deps import require_scope
from service.api.problems import problem_responses
from service.api.schemas.scores import ScoreRequest

router = APIRouter(
    prefix="/v1",
    tags=["echo"],
    dependencies=[require_scope("scores:write")],
    responses=problem_responses(401, 403, 413, 422),
    include_in_schema=False,
)


@router.post("/echo")
def echo(body: ScoreRequest) -> dict[str, Any]:
    """The parsed score request, as received (benchmark baseline)."""
    return body.model_dump(mode="json", exclude_unset=True)
