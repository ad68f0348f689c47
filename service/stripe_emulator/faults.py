"""Fault injection on `/v1` requests: 429s, 500s and added latency, deterministic with a seed.

Faults strike before the endpoint executes, so nothing is saved under the request's
Idempotency-Key and a retry proceeds normally. Real Stripe sends no `Stripe-Should-Retry` on a
429, so by default the SDK does not retry it (it does retry 500s); `should_retry_429` adds the
header to model a load-shedding 429 the client may retry.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .errors import StripeError, api_error, rate_limited

FAULT_STATUSES = (429, 500)


@dataclass(frozen=True)
class FaultConfig:
    """Fault settings; `next_statuses` are forced, in order, before the random rates apply."""

    rate_429: float = 0.0
    rate_500: float = 0.0
    latency_ms: float = 0.0
    seed: int | None = None
    should_retry_429: bool = False
    next_statuses: tuple[int, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for name in ("rate_429", "rate_500"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.rate_429 + self.rate_500 > 1.0:
            raise ValueError("rate_429 + rate_500 must not exceed 1")
        if self.latency_ms < 0:
            raise ValueError(f"latency_ms must be >= 0, got {self.latency_ms}")
        bad = [s for s in self.next_statuses if s not in FAULT_STATUSES]
        if bad:
            raise ValueError(f"next_statuses may hold only {FAULT_STATUSES}, got {bad}")


def config_from_json(data: dict[str, Any], base: FaultConfig) -> FaultConfig:
    """A new config from a partial JSON object (`POST /_emulator/faults`); ValueError if bad."""
    known = set(asdict(base))
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"unknown fault settings: {', '.join(unknown)}")
    changes = dict(data)
    if "next_statuses" in changes:
        changes["next_statuses"] = tuple(int(s) for s in changes["next_statuses"])
    for name in ("rate_429", "rate_500", "latency_ms"):
        if name in changes:
            changes[name] = float(changes[name])
    return replace(base, **changes)


class FaultInjector:
    """Draws the fault (if any) for each request from one seeded random stream."""

    def __init__(self, config: FaultConfig) -> None:
        self._lock = threading.Lock()
        self.configure(config)

    def configure(self, config: FaultConfig) -> None:
        """Replace the settings and restart the random stream from the config's seed."""
        with self._lock:
            self.config = config
            self._random = random.Random(config.seed)
            self._forced: deque[int] = deque(config.next_statuses)

    def update(self, data: dict[str, Any]) -> dict[str, Any]:
        """Apply a partial JSON update (unmentioned settings and forced statuses are kept)."""
        with self._lock:
            base = replace(self.config, next_statuses=tuple(self._forced))
        self.configure(config_from_json(data, base))
        return self.describe()

    def latency_seconds(self) -> float:
        """Delay to add before answering."""
        return self.config.latency_ms / 1000.0

    def draw(self) -> StripeError | None:
        """The error to answer this request with instead of executing it, or None."""
        with self._lock:
            if self._forced:
                status = self._forced.popleft()
            else:
                roll = self._random.random()
                if roll < self.config.rate_429:
                    status = 429
                elif roll < self.config.rate_429 + self.config.rate_500:
                    status = 500
                else:
                    return None
        if status == 429:
            error = rate_limited()
            if self.config.should_retry_429:
                error.headers["Stripe-Should-Retry"] = "true"
            return error
        return api_error()

    def describe(self) -> dict[str, Any]:
        """Current settings as JSON (remaining forced statuses included)."""
        with self._lock:
            data = asdict(self.config)
            data["next_statuses"] = list(self._forced)
            return data
