"""Probes and metrics, open without a key: /healthz, /readyz and /metrics."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel

from service.api.deps import DatabaseDep, MetricsDep, ModelStatusDep, NetworkDep
from service.errors import StoreUnavailable
from service.scoring.network import NetworkCache

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The process is up."""

    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    """Whether the service can do its job, check by check, with the reasons when it cannot."""

    status: Literal["ready", "not ready"]
    database: Literal["ok", "unreachable"]
    model: Literal["loaded", "not loaded"]
    model_version: str | None = None
    network: Literal["built", "not built", "off"]
    reasons: list[str] = []


# HEAD too: some probes and load balancers check with HEAD (answered without a body).
@router.head("/healthz", include_in_schema=False)
@router.get("/healthz", response_model=Health)
def read_health() -> Health:
    """Liveness: the process answers. Restart it only if this fails."""
    return Health()


@router.head("/readyz", include_in_schema=False)
@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Not ready, with reasons"}},
)
def read_readiness(
    database: DatabaseDep, model_status: ModelStatusDep, network: NetworkDep
) -> JSONResponse:
    """Readiness: the database answers (schema migrated), a champion model is loaded and the
    account network behind link features is built (or turned off)."""
    reasons = []
    try:
        database.ensure_schema()
        reachable = database.ping()
    except StoreUnavailable:
        reachable = False
    if not reachable:
        reasons.append("the database is unreachable")
    if not model_status.ready:
        reasons.append(
            "no champion model is loaded: no version holds the provider-risk@champion alias in "
            "MLFLOW_TRACKING_URI's registry (train, then promote one), or it failed to load "
            "(the log names the version and why)"
        )
    if not network.is_ready():
        reasons.append(
            "the account network behind link features is not built yet (it is built at start-up "
            "and retried every few seconds while that fails; the log says why)"
        )
    readiness = Readiness(
        status="not ready" if reasons else "ready",
        database="ok" if reachable else "unreachable",
        model="loaded" if model_status.ready else "not loaded",
        model_version=model_status.version if model_status.ready else None,
        network=_network_state(network),
        reasons=reasons,
    )
    return JSONResponse(readiness.model_dump(), status_code=503 if reasons else 200)


def _network_state(network: NetworkCache) -> Literal["built", "not built", "off"]:
    if network.refresh_seconds <= 0:
        return "off"
    return "built" if network.is_ready() else "not built"


@router.get("/metrics", response_class=Response)
def read_metrics(
    metrics: MetricsDep, database: DatabaseDep, model_status: ModelStatusDep
) -> Response:
    """Prometheus text format: request latency, decisions by band, model version, queue depths."""
    body = metrics.scrape(database=database, model_status=model_status)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
