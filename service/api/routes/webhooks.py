"""POST /v1/webhooks/stripe: verify Stripe's signature, store the event once, acknowledge at once.

No API key: Stripe authenticates by signing the raw body. Processing happens later, in the
worker; this route only makes the event durable, so it answers in milliseconds.
"""

from __future__ import annotations

from typing import Any, ClassVar

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from service.api.deps import DatabaseDep, SettingsDep
from service.api.problems import problem_responses
from service.db.database import Database
from service.db.repositories.inbox import store_event
from service.errors import Unavailable
from service.stripe_gateway.errors import WebhookPayloadError
from service.stripe_gateway.webhooks import verify_event

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])


class WebhookNotConfigured(Unavailable):
    """No signing secret is configured; 503 so Stripe keeps the event and retries."""

    title: ClassVar[str] = "Webhook secret not configured"
    slug: ClassVar[str] = "webhook-not-configured"


class Received(BaseModel):
    """The acknowledgement Stripe gets; `duplicate` says the event was stored already."""

    received: bool = True
    duplicate: bool


def _store(database: Database, event: dict[str, Any]) -> bool:
    with database.session() as session:
        account = event.get("account")
        inserted = store_event(
            session=session,
            event_id=event["id"],
            event_type=event["type"],
            event_created=event["created"],
            payload=event,
            account_id=account if isinstance(account, str) else None,
        )
        session.commit()
    return inserted


@router.post(
    "/stripe",
    response_model=Received,
    responses=problem_responses(400, 413, 503),
    summary="Receive a Stripe event",
)
async def receive_stripe_event(
    request: Request,
    settings: SettingsDep,
    database: DatabaseDep,
    stripe_signature: str | None = Header(default=None, alias="Stripe-Signature"),
) -> Received:
    """Store a signed Stripe event in the inbox; a replayed event id stores nothing new.

    400 for a bad, missing or stale signature or a body that is not an event; 503 with
    Retry-After when the database is down, so Stripe delivers again later.
    """
    body = await request.body()
    secrets = settings.webhook_secrets()
    if not secrets:
        raise WebhookNotConfigured("no webhook signing secret is configured")
    # WebhookSignatureError / WebhookPayloadError are answered 400 by the problem handlers.
    event = verify_event(body, stripe_signature, secrets)
    if not isinstance(event.get("created"), int):
        raise WebhookPayloadError("Stripe event without an integer created time")
    inserted = await run_in_threadpool(_store, database, event)
    return Received(duplicate=not inserted)
