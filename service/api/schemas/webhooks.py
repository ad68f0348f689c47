"""What Stripe gets back from the webhook endpoint, and the checks a verified event must pass.

The checks run after the signature is verified and before anything is stored: an event the
inbox could not hold (a field too long for its column) or one from the other Stripe mode is
answered 400, which Stripe shows on the endpoint's delivery log.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel

from service.db.repositories.inbox import NewEvent
from service.stripe_gateway.errors import WebhookPayloadError, WebhookRejected

# Column widths of webhook_inbox (service.db.models.inbox).
MAX_EVENT_ID = 255
MAX_EVENT_TYPE = 100
MAX_ACCOUNT_ID = 64
MAX_BIGINT = 2**63 - 1
LIVE_KEY_PREFIXES = ("sk_live_", "rk_live_")


class Received(BaseModel):
    """The acknowledgement Stripe gets; `duplicate` says the event was stored already."""

    received: bool = True
    duplicate: bool


class LivemodeMismatch(WebhookRejected):
    """A live event reached a test-mode service, or the reverse; never stored."""

    title: ClassVar[str] = "Webhook mode mismatch"
    slug: ClassVar[str] = "webhook-livemode-mismatch"


def key_is_live(api_key: str | None) -> bool:
    """Whether `api_key` is a live-mode Stripe key; no key (dry-run) counts as test mode."""
    return api_key is not None and api_key.startswith(LIVE_KEY_PREFIXES)


def inbox_event(event: dict[str, Any], *, live: bool) -> NewEvent:
    """The inbox row for a verified `event`; WebhookRejected (400) if it must not be stored.

    `live` is the mode of the configured key: Stripe sends test and live events to separate
    endpoints, so an event of the other mode means a misconfigured endpoint or secret, and
    acting on it would mix test data into live decisions (or the reverse).
    """
    created = event.get("created")
    if not isinstance(created, int) or isinstance(created, bool) or not 0 <= created <= MAX_BIGINT:
        raise WebhookPayloadError("Stripe event without an integer created time")
    livemode = event.get("livemode")
    if not isinstance(livemode, bool):
        raise WebhookPayloadError("Stripe event without a boolean livemode")
    if livemode != live:
        raise LivemodeMismatch(_mismatch(livemode))
    event_id, event_type = event["id"], event["type"]
    if len(event_id) > MAX_EVENT_ID or len(event_type) > MAX_EVENT_TYPE:
        raise WebhookPayloadError("Stripe event id or type is longer than Stripe's")
    account = event.get("account")
    if isinstance(account, str) and len(account) > MAX_ACCOUNT_ID:
        raise WebhookPayloadError("Stripe event account id is longer than Stripe's")
    return NewEvent(
        event_id=event_id,
        type=event_type,
        event_created=created,
        payload=event,
        account_id=account if isinstance(account, str) else None,
    )


def _mismatch(livemode: bool) -> str:
    if livemode:
        return (
            "a live-mode event reached a service configured for test mode (no STRIPE_API_KEY "
            "or a test key); it was not stored"
        )
    return "a test-mode event reached a service configured with a live key; it was not stored"
