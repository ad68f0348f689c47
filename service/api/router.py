"""Which routers the app serves, and the body size limit of each path."""

from __future__ import annotations

import re

from fastapi import FastAPI

from service.api.body_limit import BodyLimits
from service.api.routes import (
    accounts,
    api_keys,
    decisions,
    documents,
    echo,
    health,
    reviews,
    scores,
    webhooks,
    whoami,
)
from service.settings import Settings

DOCUMENT_UPLOADS = re.compile(r"/v1/accounts/[^/]+/documents")


def include_routers(app: FastAPI) -> None:
    """Mount every router (each one file under service/api/routes/); the benchmark's echo
    route only when the settings enable it."""
    # Routes are matched in order: the webhook route, the busiest, goes first.
    app.include_router(webhooks.router)
    app.include_router(health.router)
    app.include_router(whoami.router)
    app.include_router(api_keys.router)
    app.include_router(documents.router)
    app.include_router(accounts.router)
    app.include_router(decisions.router)
    app.include_router(reviews.router)
    app.include_router(scores.router)
    # After /v1/scores, so both pay the same route matching.
    if app.state.settings.echo_endpoint:
        app.include_router(echo.router)


def body_limits(settings: Settings) -> BodyLimits:
    """JSON bodies get `max_body_bytes`; document uploads get `max_document_bytes`."""
    return BodyLimits(
        default=settings.max_body_bytes,
        by_path=((DOCUMENT_UPLOADS, settings.max_document_bytes),),
    )
