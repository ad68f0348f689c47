"""Events and their signed delivery: build Event objects, sign them, POST them in the background.

The signature is Stripe's scheme (`Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`),
re-signed on every attempt. Delivery runs on one worker thread, in order, with a few retries, and
never blocks an API response.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

RETRY_DELAYS_SECONDS = (0.2, 1.0)
TIMEOUT_SECONDS = 5.0
USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"


def previous_attributes(old: Any, new: Any) -> dict[str, Any]:
    """Prior values of what changed, as Stripe reports them in `*.updated` events.

    Hashes are compared key by key (a key that did not exist before is reported as null);
    an array with any change is reported whole.
    """
    if not isinstance(old, dict) or not isinstance(new, dict):
        return {}
    changed: dict[str, Any] = {}
    for key in old.keys() | new.keys():
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            changed[key] = previous_attributes(before, after)
        else:
            changed[key] = before
    return changed


def build_event(
    *,
    event_id: str,
    event_type: str,
    obj: dict[str, Any],
    created: int,
    api_version: str,
    previous: dict[str, Any] | None = None,
    account_id: str | None = None,
    request_id: str | None = None,
    idempotency_key: str | None = None,
    pending_webhooks: int = 0,
) -> dict[str, Any]:
    """An Event object (`S.event`); `account` names the connected account it comes from."""
    data: dict[str, Any] = {"object": obj}
    if previous is not None:
        data["previous_attributes"] = previous
    event: dict[str, Any] = {
        "id": event_id,
        "object": "event",
        "api_version": api_version,
        "created": created,
        "data": data,
        "livemode": False,
        "pending_webhooks": pending_webhooks,
        "request": {"id": request_id, "idempotency_key": idempotency_key},
        "type": event_type,
    }
    if account_id is not None:
        event["account"] = account_id
    return event


def signature_header(payload: bytes, secret: str, timestamp: int) -> str:
    """The `Stripe-Signature` value for a raw body."""
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


Post = Callable[[str, bytes, dict[str, str]], int]


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


class WebhookSender:
    """Background delivery of event records `{"event": ..., "deliveries": [...]}` to one URL."""

    def __init__(self, url: str, secret: str, post: Post = _post) -> None:
        self.url = url
        self.secret = secret
        self._post = post
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="webhook-sender", daemon=True)
        self._thread.start()

    def send(self, record: dict[str, Any]) -> None:
        """Queue an event record for delivery; returns at once."""
        self._queue.put(record)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued event was delivered or given up; False on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self._queue.unfinished_tasks

    def close(self, timeout: float = 5.0) -> None:
        """Stop the worker after the events already queued."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            record = self._queue.get()
            try:
                if record is None:
                    return
                self._deliver(record)
            finally:
                self._queue.task_done()

    def _deliver(self, record: dict[str, Any]) -> None:
        body = json.dumps(record["event"], indent=2).encode()
        for attempt, delay in enumerate((0.0, *RETRY_DELAYS_SECONDS)):
            time.sleep(delay)
            timestamp = int(time.time())
            headers = {
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": USER_AGENT,
                "Stripe-Signature": signature_header(body, self.secret, timestamp),
            }
            try:
                status: int | None = self._post(self.url, body, headers)
                error = None
            except (OSError, ValueError) as exc:
                status, error = None, f"{type(exc).__name__}: {exc}"
            attempt_record = {"attempt": attempt + 1, "status": status, "error": error}
            # Replace rather than append, so readers on other threads see a complete list.
            record["deliveries"] = [*record["deliveries"], attempt_record]
            if status is not None and 200 <= status < 300:
                record["delivered"] = True
                return
        record["delivered"] = False
