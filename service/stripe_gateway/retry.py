"""Which Stripe failures are worth retrying, and how long to wait between attempts.

The SDK retries nothing unless asked and never a 429 (FACTS §4), so the gateway runs its own
bounded loop, always under the same idempotency key.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import stripe

Verdict = Literal["retry", "not_controllable", "fail"]


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: after attempt n wait d/2..d, d = min(cap, base·2^(n-1))."""

    base_seconds: float = 0.5
    cap_seconds: float = 8.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait after failed attempt `attempt` (1-based)."""
        ceiling = min(self.cap_seconds, self.base_seconds * 2.0 ** (attempt - 1))
        return float(ceiling / 2 + rng.uniform(0, ceiling / 2))


def header(headers: Mapping[str, str] | None, name: str) -> str | None:
    """A response header, whatever the case of the stored names."""
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value
    return None


def classify(exc: stripe.StripeError) -> Verdict:
    """`retry` for 429, 409, 5xx and connection failures; `not_controllable` for 403; else `fail`.

    Stripe's `Stripe-Should-Retry` header, when present, overrides the status-based choice; a
    failure replayed from Stripe's idempotency store is never retried.
    """
    if header(exc.headers, "idempotent-replayed") == "true":
        # Stripe saved this failure under the key; the same key will only replay it.
        return _no_retry(exc)
    should = header(exc.headers, "stripe-should-retry")
    if should in ("true", "false"):
        return "retry" if should == "true" else _no_retry(exc)
    if isinstance(exc, stripe.RateLimitError | stripe.APIConnectionError):
        return "retry"
    status = exc.http_status
    if isinstance(exc, stripe.APIError) and (status is None or status == 409):
        return "retry"
    if status is not None and status >= 500:
        return "retry"
    return _no_retry(exc)


def _no_retry(exc: stripe.StripeError) -> Verdict:
    return "not_controllable" if isinstance(exc, stripe.PermissionError) else "fail"
