"""Signing webhook deliveries as Stripe does, for the webhook route tests."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any

OLD_SECRET = "whsec_old_" + "o" * 24
NEW_SECRET = "whsec_new_" + "n" * 24
MAX_BODY_BYTES = 16 * 1024


def sign(body: bytes, secret: str, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header: `t=<unix>,v1=<HMAC-SHA256(secret, "t.body")>`."""
    stamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def new_event(kind: str = "payout.paid", **extra: Any) -> dict[str, Any]:
    """A minimal Stripe event with a fresh id."""
    return {
        "id": f"evt_{secrets.token_hex(8)}",
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "api_version": None,
        "request": {"id": None, "idempotency_key": None},
        "data": {"object": {"id": f"po_{secrets.token_hex(6)}", "object": "payout"}},
        **extra,
    }


def encode(event: dict[str, Any]) -> bytes:
    return json.dumps(event).encode()
