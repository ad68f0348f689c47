"""POST /v1/webhooks/stripe: verify Stripe's signature, store the event once, acknowledge at once.

No API key: Stripe authenticates by signing the raw body. Processing happens later, in the
worker; this route only makes the event durable. Events go through the app's InboxWriter
(service.db.repositories.inbox_writer), which commits concurrent deliveries in one
transaction; each request is answered 200 only after the transaction holding its event
committed, so an acknowledged event is never lost and one not acknowledged is retried by Stripe.
"""

from __future__ import annotations

import threading
from typing import ClassVar

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import State

from service.api.problems import problem_responses
from service.api.schemas.webhooks import Received, inbox_event, key_is_live
from service.db.database import Database
from service.db.repositories.inbox_writer import InboxWriter
from service.errors import Unavailable
from service.settings import Settings
from service.stripe_gateway.webhooks import verify_event

PATH = "/v1/webhooks/stripe"
router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])

# The two possible answers, rendered once: this route is the service's hottest path.
NEW = b'{"received":true,"duplicate":false}'
DUPLICATE = b'{"received":true,"duplicate":true}'
_writer_lock = threading.Lock()


class WebhookNotConfigured(Unavailable):
    """No signing secret is configured; 503 so Stripe keeps the event and retries."""

    title: ClassVar[str] = "Webhook secret not configured"
    slug: ClassVar[str] = "webhook-not-configured"


def inbox_writer(state: State) -> InboxWriter:
    """The app's inbox writer (from `app.state`), made on first use for its current database."""
    database: Database = state.database
    writer: InboxWriter | None = getattr(state, "inbox_writer", None)
    if writer is None or writer.database is not database:
        with _writer_lock:
            writer = getattr(state, "inbox_writer", None)
            if writer is None or writer.database is not database:
                writer = InboxWriter(database)
                state.inbox_writer = writer
    return writer


async def ingest(state: State, body: bytes, signature: str | None) -> bool:
    """Verify and store one delivery; True if the event is new, False for a replay.

    Raises WebhookRejected (400: signature, payload, mode), WebhookNotConfigured or
    StoreUnavailable (503); shared by the route and service.api.webhook_fast_path.
    """
    settings: Settings = state.settings
    secrets = settings.webhook_secrets()
    if not secrets:
        raise WebhookNotConfigured("no webhook signing secret is configured")
    event = verify_event(body, signature, secrets)
    key = settings.stripe_api_key
    row = inbox_event(event, live=key_is_live(None if key is None else key.get_secret_value()))
    return await inbox_writer(state).store(row)


def answer(inserted: bool) -> bytes:
    """The JSON body of the acknowledgement (see `Received`)."""
    return NEW if inserted else DUPLICATE


@router.post(
    "/stripe",
    response_model=Received,
    responses=problem_responses(400, 413, 503),
    summary="Receive a Stripe event",
    openapi_extra={
        "parameters": [
            {
                "name": "Stripe-Signature",
                "in": "header",
                "required": True,
                "schema": {"type": "string"},
                "description": "`t=<unix time>,v1=<HMAC-SHA256 of the raw body>`, set by Stripe",
            }
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "A Stripe event object, exactly as Stripe sent it",
        },
    },
)
async def receive_stripe_event(request: Request) -> Response:
    """Store a signed Stripe event in the inbox; a replayed event id stores nothing new.

    400 for a bad, missing or stale signature, a body that is not an event, or an event of the
    other Stripe mode (live vs test, by the configured key); 503 with Retry-After when the
    database is down, so Stripe delivers again later.
    """
    # The raw body and header, not FastAPI parameters: the signature covers the exact bytes.
    inserted = await ingest(
        request.app.state, await request.body(), request.headers.get("stripe-signature")
    )
    return Response(answer(inserted), media_type="application/json")
