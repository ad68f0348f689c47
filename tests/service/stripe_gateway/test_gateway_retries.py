"""Retries on 429, 5xx and network failures: same idempotency key, applied exactly once."""

from __future__ import annotations

import random
import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import stripe

from service.domain.actions import PlannedAction
from service.stripe_gateway.errors import AccountNotFound, StripeUnavailable
from service.stripe_gateway.retry import Backoff, classify
from service.stripe_gateway.sdk_gateway import SdkStripeGateway

MakeAction = Callable[..., PlannedAction]
CreateAccount = Callable[..., dict[str, Any]]
Requests = Callable[..., list[dict[str, Any]]]
API_KEY = "sk_test_gateway_tests"


def _fail_next(control: httpx.Client, statuses: list[int]) -> None:
    control.post("/_emulator/faults", json={"next_statuses": statuses}).raise_for_status()


def _metadata_action(action: MakeAction, account_id: str) -> PlannedAction:
    return action("metadata", account_id, {"metadata": {"risk_band": "severe"}})


@pytest.mark.parametrize("storm", [[429, 429, 429], [500, 500, 500], [429, 500, 429]])
def test_a_storm_is_ridden_out_and_applied_exactly_once(
    gateway: SdkStripeGateway,
    create_account: CreateAccount,
    action: MakeAction,
    control: httpx.Client,
    requests_log: Requests,
    sleeps: list[float],
    storm: list[int],
) -> None:
    account_id = create_account("custom")["id"]
    planned = _metadata_action(action, account_id)
    _fail_next(control, storm)
    result = gateway.apply(planned)
    assert (result.status, result.attempts) == ("applied", len(storm) + 1)
    attempts = requests_log(key=planned.idempotency_key)
    assert [e["status"] for e in attempts] == [*storm, 200]
    assert len(requests_log(mutated=True, key=planned.idempotency_key)) == 1
    assert len(sleeps) == len(storm)
    assert gateway.retrieve_account(account_id)["metadata"]["risk_band"] == "severe"


def test_exhausted_retries_fail_and_a_later_retry_applies_once(
    gateway: SdkStripeGateway,
    create_account: CreateAccount,
    action: MakeAction,
    control: httpx.Client,
    requests_log: Requests,
) -> None:
    account_id = create_account("custom")["id"]
    planned = action("reject", account_id, {"reason": "fraud_other"})
    _fail_next(control, [500, 429, 500, 500])
    failed = gateway.apply(planned)
    assert (failed.status, failed.attempts, failed.http_status) == ("failed", 4, 500)
    assert failed.retryable and failed.message
    assert requests_log(mutated=True, key=planned.idempotency_key) == []
    later = gateway.apply(planned)  # what the worker does with a retryable failure
    again = gateway.apply(planned)  # a duplicate retry is answered from Stripe's store
    assert (later.status, later.attempts, later.replayed) == ("applied", 1, False)
    assert (again.status, again.replayed) == ("applied", True)
    assert len(requests_log(mutated=True, key=planned.idempotency_key)) == 1
    assert {e["idempotency_key"] for e in requests_log(key=planned.idempotency_key)} == {
        planned.idempotency_key
    }


def test_network_failures_are_retried_then_reported(
    action: MakeAction, sleeps: list[float]
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gateway = SdkStripeGateway(
        API_KEY, f"http://127.0.0.1:{port}", max_attempts=3, sleep=sleeps.append
    )
    result = gateway.apply(action("metadata", "acct_1Nowhere00000001", {"metadata": {"a": "b"}}))
    assert (result.status, result.attempts, result.retryable) == ("failed", 3, True)
    assert result.http_status is None
    assert len(sleeps) == 2


def test_retrieve_retries_then_raises_typed_errors(
    gateway: SdkStripeGateway, create_account: CreateAccount, control: httpx.Client
) -> None:
    account_id = create_account("custom")["id"]
    _fail_next(control, [500, 429])
    assert gateway.retrieve_account(account_id)["id"] == account_id
    _fail_next(control, [500, 500, 500, 500])
    with pytest.raises(StripeUnavailable, match="4 time"):
        gateway.retrieve_account(account_id)
    with pytest.raises(AccountNotFound):
        gateway.retrieve_account("acct_1Missing00000001")


@pytest.mark.parametrize("attempt", range(1, 9))
def test_backoff_grows_with_jitter_and_is_capped(attempt: int) -> None:
    backoff = Backoff(base_seconds=0.5, cap_seconds=4.0)
    ceiling = min(4.0, 0.5 * 2 ** (attempt - 1))
    delays = [backoff.delay(attempt, random.Random(seed)) for seed in range(20)]
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert len(set(delays)) > 1


def _error(cls: type[stripe.StripeError], status: int | None, **headers: str) -> stripe.StripeError:
    if issubclass(cls, stripe.InvalidRequestError):
        return cls("boom", None, http_status=status, headers=headers)
    return cls("boom", http_status=status, headers=headers)


@pytest.mark.parametrize(
    ("error", "verdict"),
    [
        (_error(stripe.RateLimitError, 429), "retry"),
        (_error(stripe.APIError, 500), "retry"),
        (_error(stripe.APIError, 503), "retry"),
        (_error(stripe.APIError, 409), "retry"),
        (_error(stripe.APIConnectionError, None), "retry"),
        (_error(stripe.PermissionError, 403), "not_controllable"),
        (_error(stripe.InvalidRequestError, 400), "fail"),
        (_error(stripe.AuthenticationError, 401), "fail"),
        (_error(stripe.IdempotencyError, 400), "fail"),
        (_error(stripe.APIError, 500, **{"Stripe-Should-Retry": "false"}), "fail"),
        (_error(stripe.RateLimitError, 429, **{"stripe-should-retry": "true"}), "retry"),
        (_error(stripe.APIError, 500, **{"Idempotent-Replayed": "true"}), "fail"),
    ],
)
def test_classify(error: stripe.StripeError, verdict: str) -> None:
    assert classify(error) == verdict
