"""The real gateway: the official stripe SDK (StripeClient, pinned API version), own retries.

Every mutating call carries the action's idempotency key (decision id, action) on every attempt,
so a retry — here, or by the worker after a restart — is applied at most once by Stripe.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable
from typing import Any, cast

import stripe

from service.domain.actions import PlannedAction
from service.domain.stripe_vocab import API_VERSION
from service.stripe_gateway.errors import (
    AccountNotAccessible,
    AccountNotFound,
    GatewayError,
    StripeUnavailable,
)
from service.stripe_gateway.excerpts import excerpt
from service.stripe_gateway.port import ActionResult, check_sendable
from service.stripe_gateway.retry import Backoff, classify, header

STRIPE_API_BASE = "https://api.stripe.com"


class SdkStripeGateway:
    """StripeGateway over `stripe.StripeClient`; bounded retries on 429, 5xx and network errors."""

    def __init__(
        self,
        api_key: str,
        api_base: str = STRIPE_API_BASE,
        *,
        max_attempts: int = 4,
        backoff: Backoff | None = None,
        timeout_seconds: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base},
            stripe_version=API_VERSION,
            # The SDK would retry 5xx but never 429; one loop here handles both the same way.
            max_network_retries=0,
            http_client=stripe.new_default_http_client(timeout=timeout_seconds),
        )
        self._max_attempts = max_attempts
        self._backoff = backoff or Backoff()
        self._sleep = sleep
        self._rng = rng or random.Random()

    def retrieve_account(self, account_id: str) -> dict[str, Any]:
        """The Account as a plain dict; AccountNotFound, AccountNotAccessible, StripeUnavailable."""
        account = self._read(lambda: self._client.v1.accounts.retrieve(account_id), account_id)
        return dict(account.to_dict())

    def list_capabilities(self, account_id: str) -> list[dict[str, Any]]:
        """The account's Capability objects as plain dicts."""
        listing = self._read(
            lambda: self._client.v1.accounts.capabilities.list(account_id), account_id
        )
        return [item.to_dict() for item in listing.data]

    def apply(self, action: PlannedAction) -> ActionResult:
        """Send a planned action; Stripe's answer becomes the result, never an exception."""
        check_sendable(action)
        call = self._call_for(action)
        key = action.idempotency_key
        for attempt in range(1, self._max_attempts + 1):
            try:
                response = call({"idempotency_key": key})
            except stripe.StripeError as exc:
                verdict = classify(exc)
                if verdict == "retry" and attempt < self._max_attempts:
                    self._sleep(self._backoff.delay(attempt, self._rng))
                    continue
                return _failure(exc, key, attempt, verdict)
            return _success(action, response, attempt)
        raise AssertionError("unreachable: the loop returns on its last attempt")

    def _call_for(self, action: PlannedAction) -> Callable[[Any], Any]:
        accounts = self._client.v1.accounts
        # The SDK's TypedDict params are satisfied by construction: the domain builds them.
        account, params = action.account_id, cast(Any, copy.deepcopy(dict(action.params)))
        if action.kind in ("payout_schedule", "metadata"):
            return lambda options: accounts.update(account, params, options)
        if action.kind == "capability":
            capability = str(action.capability)
            return lambda options: accounts.capabilities.update(
                account, capability, params, options
            )
        if action.kind == "reject":
            return lambda options: accounts.reject(account, params, options)
        raise ValueError(f"no Stripe call for action kind {action.kind!r}")

    def _read(self, call: Callable[[], Any], account_id: str) -> Any:
        for attempt in range(1, self._max_attempts + 1):
            try:
                return call()
            except stripe.StripeError as exc:
                if classify(exc) == "retry" and attempt < self._max_attempts:
                    self._sleep(self._backoff.delay(attempt, self._rng))
                    continue
                raise _read_error(exc, account_id, attempt) from exc
        raise AssertionError("unreachable: the loop returns or raises on its last attempt")


def _success(action: PlannedAction, response: Any, attempts: int) -> ActionResult:
    last = response.last_response
    return ActionResult(
        status="applied",
        idempotency_key=action.idempotency_key,
        attempts=attempts,
        http_status=last.code if last else 200,
        stripe_request_id=last.request_id if last else None,
        response_excerpt=excerpt(action, response.to_dict()),
        replayed=header(last.headers if last else None, "idempotent-replayed") == "true",
    )


def _failure(exc: stripe.StripeError, key: str, attempts: int, verdict: str) -> ActionResult:
    error = exc.error
    return ActionResult(
        status="not_controllable" if verdict == "not_controllable" else "failed",
        idempotency_key=key,
        attempts=attempts,
        http_status=exc.http_status,
        stripe_request_id=exc.request_id,
        error_code=exc.code or (getattr(error, "type", None) if error else None),
        message=exc.user_message or type(exc).__name__,
        retryable=verdict == "retry",
        replayed=header(exc.headers, "idempotent-replayed") == "true",
    )


def _read_error(exc: stripe.StripeError, account_id: str, attempts: int) -> GatewayError:
    reason = exc.user_message or type(exc).__name__
    if exc.http_status == 404:
        return AccountNotFound(f"Stripe has no account {account_id}: {reason}")
    if isinstance(exc, stripe.PermissionError | stripe.AuthenticationError):
        return AccountNotAccessible(f"Stripe refused to show account {account_id}: {reason}")
    if classify(exc) == "retry":
        return StripeUnavailable(f"Stripe failed {attempts} time(s) reading {account_id}: {reason}")
    return GatewayError(f"Stripe refused to read account {account_id}: {reason}")
