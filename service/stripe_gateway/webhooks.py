"""Verify a Stripe webhook delivery against one or more signing secrets (rotation) with the SDK."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

import stripe

from service.stripe_gateway.errors import WebhookPayloadError, WebhookSignatureError

DEFAULT_TOLERANCE_SECONDS = 300
_STALE = "Timestamp outside the tolerance zone"


def verify_event(
    payload: bytes,
    header: str | None,
    secrets: Sequence[str],
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> dict[str, Any]:
    """The event of a correctly signed, recent delivery, as a plain dict.

    `payload` must be the raw request body. Each secret is tried in turn, so the old and the new
    secret both pass while Stripe rolls an endpoint secret. A signature stamped more than
    `tolerance` seconds ahead of this clock is refused too (the SDK checks only the past: a
    leaked signed body with a far-future stamp would otherwise stay replayable). Raises
    WebhookSignatureError (bad, missing, stale or future signature) or WebhookPayloadError
    (signed but not a Stripe event).
    """
    if not secrets:
        raise ValueError("no webhook signing secret configured (STRIPE_WEBHOOK_SECRET)")
    if not header or not header.strip():
        raise WebhookSignatureError("No Stripe-Signature header: the delivery is not signed")
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WebhookPayloadError("webhook body is not UTF-8") from exc
    reasons: list[str] = []
    for secret in secrets:
        try:
            stripe.WebhookSignature.verify_header(text, header, secret, tolerance)
            break
        except stripe.SignatureVerificationError as exc:
            reasons.append(exc.user_message or "signature verification failed")
    else:
        # A signature that matched but is too old says more than "no match" for the others.
        stale = [reason for reason in reasons if reason.startswith(_STALE)]
        raise WebhookSignatureError((stale or reasons)[-1])
    stamp = _timestamp(header)
    if stamp is not None and stamp > time.time() + tolerance:
        raise WebhookSignatureError(
            f"Timestamp more than {tolerance} s ahead of this server's clock"
        )
    return _event(text)


def _timestamp(header: str) -> int | None:
    """The `t=` of a Stripe-Signature header (the SDK has checked it is there)."""
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            return int(value)
    return None


def _event(text: str) -> dict[str, Any]:
    try:
        event = json.loads(text)
    except ValueError as exc:
        raise WebhookPayloadError("webhook body is not JSON") from exc
    if not isinstance(event, dict) or event.get("object") != "event":
        raise WebhookPayloadError("webhook body is not a Stripe event object")
    if not isinstance(event.get("id"), str) or not isinstance(event.get("type"), str):
        raise WebhookPayloadError("Stripe event without a string id and type")
    return event
