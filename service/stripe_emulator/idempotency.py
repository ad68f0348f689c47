"""Stripe's idempotency layer: saved responses per (API key, Idempotency-Key), replay or refuse.

A response is saved once the endpoint has started executing (after parameter validation),
errors included; requests refused earlier (bad parameters, injected faults) save nothing.
Keys are pruned after `ttl_seconds` (Stripe: at least 24 hours), after which a key is new again.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict, dataclass
from typing import Any

from .errors import idempotency_mismatch

DEFAULT_TTL_SECONDS = 24 * 3600


@dataclass(frozen=True)
class SavedResponse:
    """What the first request with a key answered, and what it was asked."""

    endpoint: str
    fingerprint: str
    status: int
    body: str
    request_id: str
    created: float


def fingerprint(params: Any) -> str:
    """A stable digest of decoded request parameters, to compare a retry with the original."""
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def scope(api_key: str, key: str) -> str:
    """Store key: keys are scoped per API key, which is stored only as a digest."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:16] + ":" + key


class IdempotencyStore:
    """Saved responses in memory (and in the optional state file)."""

    def __init__(self, ttl_seconds: float = DEFAULT_TTL_SECONDS) -> None:
        self.ttl_seconds = ttl_seconds
        self._saved: dict[str, SavedResponse] = {}
        self._lock = threading.Lock()

    def lookup(
        self, api_key: str, key: str, endpoint: str, digest: str, now: float
    ) -> SavedResponse | None:
        """The saved response to replay, None for a new key; raises 400 idempotency_error when
        the key was first used for another endpoint or other parameters."""
        with self._lock:
            self._prune(now)
            saved = self._saved.get(scope(api_key, key))
        if saved is None:
            return None
        if saved.endpoint != endpoint or saved.fingerprint != digest:
            raise idempotency_mismatch(key, saved.endpoint, endpoint)
        return saved

    def save(self, api_key: str, key: str, response: SavedResponse) -> None:
        """Remember the response of a request that began executing."""
        with self._lock:
            self._saved[scope(api_key, key)] = response

    def clear(self) -> None:
        """Forget every key."""
        with self._lock:
            self._saved.clear()

    def _prune(self, now: float) -> None:
        expired = [k for k, v in self._saved.items() if now - v.created > self.ttl_seconds]
        for k in expired:
            del self._saved[k]

    def to_json(self) -> dict[str, Any]:
        """Plain data for the state file."""
        with self._lock:
            return {k: asdict(v) for k, v in self._saved.items()}

    def load_json(self, data: dict[str, Any]) -> None:
        """Restore keys saved by `to_json`."""
        with self._lock:
            self._saved = {k: SavedResponse(**v) for k, v in data.items()}
