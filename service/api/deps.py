"""Dependencies routes declare: settings, a database session, model status, the caller's key.

Resources live on `app.state` (built by `service.app.create_app`); these functions hand them to
routes, and tests replace them with `app.dependency_overrides` or `create_app(...)` arguments.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from features import NetworkIndex
from service.api.metrics import Metrics
from service.api.model_status import ModelStatus
from service.auth.keys import ApiKeyPrincipal, authenticate
from service.auth.scopes import check_scope
from service.db.database import UNREACHABLE, Database
from service.domain.policy_model import Policy
from service.errors import (
    Forbidden,
    InvalidToken,
    ModelNotReady,
    NetworkNotReady,
    Unauthorized,
)
from service.scoring.champion import ChampionModel, LoadedModel
from service.scoring.network import NetworkCache
from service.settings import Settings

logger = logging.getLogger(__name__)

# What a caller without a usable key is told (here and, before the body is read, by
# service.api.key_gate).
NO_KEY = "send an API key as `Authorization: Bearer <key>`"
BAD_KEY = "the API key is invalid or revoked"

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key from `connect-risk apikey create`: `Authorization: Bearer cr_live_…`",
)


async def get_settings(request: Request) -> Settings:
    """The process settings."""
    settings: Settings = request.app.state.settings
    return settings


async def get_database(request: Request) -> Database:
    """The process database (engine and schema gate)."""
    database: Database = request.app.state.database
    return database


async def get_session(
    database: Annotated[Database, Depends(get_database)],
) -> AsyncIterator[Session]:
    """A session for this request, closed (and rolled back unless committed) afterwards.

    Routes that write call `session.commit()` once, after the use case succeeded, so a failed
    request leaves nothing half-written. 503 if the database is unreachable.

    Async on purpose: FastAPI runs a sync generator's two halves in the thread pool, and each
    hand-off cost about as much as a score's features (docs/benchmarks.md). Creating a session
    does no I/O; closing one does only while a transaction is open (a read, or a failed write),
    and then it runs in the pool, as does the schema check until it first succeeds.
    """
    if not database.schema_ready:
        await run_in_threadpool(database.ensure_schema)
    session = database.sessions()
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(_close, session)
        else:
            session.close()


def _close(session: Session) -> None:
    try:
        session.close()
    except UNREACHABLE:
        # The connection died with the database; the server discards the transaction, and
        # the response (often a 503) is already on its way, so there is nothing to report.
        logger.warning("database connection lost while closing a session")


async def get_model_status(request: Request) -> ModelStatus:
    """Whether a champion model is loaded (see service.api.model_status)."""
    status: ModelStatus = request.app.state.model_status
    return status


async def get_pepper(request: Request) -> bytes:
    """The secret API keys are hashed with (see service.auth.pepper)."""
    pepper: bytes = request.app.state.pepper
    return pepper


async def get_network(request: Request) -> NetworkCache:
    """The cross-account network behind link features, rebuilt in the background."""
    network: NetworkCache = request.app.state.network
    return network


async def get_metrics(request: Request) -> Metrics:
    """The app's Prometheus metrics."""
    metrics: Metrics = request.app.state.metrics
    return metrics


@dataclass(frozen=True)
class Scoring:
    """Everything a score needs besides its session, taken once per request: a model swap
    or a network refresh mid-request never mixes two versions into one decision."""

    database: Database
    champion: LoadedModel
    policy: Policy
    network: NetworkIndex | None
    shadow: LoadedModel | None
    metrics: Metrics


async def get_scoring(request: Request) -> Scoring:
    """The scoring context; 503 while no champion model is loaded, or before the account
    network is first built (a score then would take every link feature as unknown).

    One dependency rather than one per resource: FastAPI solves each dependency on the event
    loop for every request, and on the scoring path that added up (docs/benchmarks.md).
    """
    state = request.app.state
    status: ModelStatus = state.model_status
    if not isinstance(status, ChampionModel):
        raise ModelNotReady("no champion model is loaded; promote one and retry")
    if not state.network.is_ready():
        raise NetworkNotReady("the account network behind link features is not built yet")
    return Scoring(
        database=state.database,
        champion=status.current(),
        policy=state.policy,
        network=state.network.current(),
        shadow=state.shadow(),
        metrics=state.metrics,
    )


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_database)]
SessionDep = Annotated[Session, Depends(get_session)]
ModelStatusDep = Annotated[ModelStatus, Depends(get_model_status)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
NetworkDep = Annotated[NetworkCache, Depends(get_network)]
ScoringDep = Annotated[Scoring, Depends(get_scoring)]
PepperDep = Annotated[bytes, Depends(get_pepper)]


def get_current_key(
    request: Request,
    session: SessionDep,
    pepper: PepperDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiKeyPrincipal:
    """The caller's API key; 401 if it is missing, malformed, unknown or revoked.

    Looked up in the request's session, so the route goes on with the same connection: on
    PostgreSQL every checkout from the pool costs a ping.
    """
    if credentials is None:
        raise Unauthorized(NO_KEY)
    principal = authenticate(session=session, token=credentials.credentials, pepper=pepper)
    if principal is None:
        raise InvalidToken(BAD_KEY)
    # For the access log: the key id is the one identity that may be logged.
    request.state.api_key_id = principal.key_id
    return principal


CurrentKey = Annotated[ApiKeyPrincipal, Depends(get_current_key)]


def require_scope(scope: str) -> Any:
    """A dependency admitting only keys with `scope` (or admin); 403 otherwise.

    Use as `key: Annotated[ApiKeyPrincipal, require_scope("scores:write")]` or in
    `APIRouter(dependencies=[require_scope(...)])`. An unknown scope fails at import, not at
    request time.
    """
    check_scope(scope)

    async def scoped_key(key: CurrentKey) -> ApiKeyPrincipal:
        if not key.allows(scope):
            raise Forbidden(f"this API key lacks the {scope!r} scope", scope=scope)
        return key

    return Depends(scoped_key)
