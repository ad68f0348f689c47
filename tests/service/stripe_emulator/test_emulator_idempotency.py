"""Idempotency keys and fault injection, driven through the SDK and raw HTTP."""

from __future__ import annotations

import time

import httpx
import pytest
import stripe

from service.stripe_emulator.faults import FaultConfig, FaultInjector

AUTH = {"Authorization": "Bearer sk_test_idempotency"}


def _post(
    control: httpx.Client, path: str, data: dict[str, str], key: str, api_key: str = ""
) -> httpx.Response:
    headers = {**AUTH, "Idempotency-Key": key}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    return control.post(path, data=data, headers=headers)


def _mutations(control: httpx.Client) -> list[dict[str, object]]:
    return [r for r in control.get("/_emulator/requests").json()["data"] if r["mutated"]]


def test_same_key_same_params_replays_without_a_second_mutation(control: httpx.Client) -> None:
    first = _post(control, "/v1/accounts", {"type": "custom"}, "create-1")
    again = _post(control, "/v1/accounts", {"type": "custom"}, "create-1")
    assert first.status_code == again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Original-Request"] == first.headers["Request-Id"]
    assert len(_mutations(control)) == 1


def test_same_key_other_params_is_an_idempotency_error(client: stripe.StripeClient) -> None:
    account = client.v1.accounts.create({"type": "custom"})
    options = {"idempotency_key": "decision-42:metadata"}
    client.v1.accounts.update(account.id, {"metadata": {"tier": "a"}}, options)
    with pytest.raises(stripe.IdempotencyError) as caught:
        client.v1.accounts.update(account.id, {"metadata": {"tier": "b"}}, options)
    assert caught.value.http_status == 400
    assert client.v1.accounts.retrieve(account.id).metadata["tier"] == "a"


def test_same_key_on_another_endpoint_is_refused(control: httpx.Client) -> None:
    first = _post(control, "/v1/accounts", {"type": "custom"}, "shared-key").json()["id"]
    second = _post(control, f"/v1/accounts/{first}", {"email": "a@example.com"}, "shared-key")
    assert second.status_code == 400
    assert second.json()["error"]["type"] == "idempotency_error"


def test_keys_are_scoped_per_api_key(control: httpx.Client) -> None:
    one = _post(control, "/v1/accounts", {"type": "custom"}, "k", api_key="sk_test_platform_one")
    two = _post(control, "/v1/accounts", {"type": "custom"}, "k", api_key="sk_test_platform_two")
    assert one.json()["id"] != two.json()["id"]


def test_errors_after_execution_began_are_replayed(control: httpx.Client) -> None:
    first = _post(control, "/v1/accounts/acct_1Missing000000/reject", {"reason": "other"}, "r1")
    again = _post(control, "/v1/accounts/acct_1Missing000000/reject", {"reason": "other"}, "r1")
    assert first.status_code == again.status_code == 404
    assert again.headers.get("Idempotent-Replayed") == "true"


def test_invalid_params_are_not_saved_under_the_key(control: httpx.Client) -> None:
    bad = _post(control, "/v1/accounts", {"type": "custom", "colour": "red"}, "fix-me")
    good = _post(control, "/v1/accounts", {"type": "custom"}, "fix-me")
    assert (bad.status_code, good.status_code) == (400, 200)


def test_faulted_requests_are_not_saved_and_retry_proceeds(control: httpx.Client) -> None:
    control.post("/_emulator/faults", json={"next_statuses": [429]}).raise_for_status()
    limited = _post(control, "/v1/accounts", {"type": "custom"}, "after-429")
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limit"
    assert "Stripe-Should-Retry" not in limited.headers
    retried = _post(control, "/v1/accounts", {"type": "custom"}, "after-429")
    assert retried.status_code == 200
    assert "Idempotent-Replayed" not in retried.headers


def test_sdk_retries_through_injected_500s_with_one_mutation(
    retrying_client: stripe.StripeClient, control: httpx.Client
) -> None:
    client = retrying_client
    account_id = client.v1.accounts.create({"type": "custom"}).id
    control.post("/_emulator/faults", json={"next_statuses": [500, 500]}).raise_for_status()
    updated = client.v1.accounts.update(account_id, {"metadata": {"risk": "high"}})
    assert updated.metadata["risk"] == "high"
    log = control.get("/_emulator/requests").json()["data"][-3:]
    assert [r["status"] for r in log] == [500, 500, 200]
    assert len({r["idempotency_key"] for r in log}) == 1
    assert [r["mutated"] for r in log] == [False, False, True]


def test_sdk_does_not_retry_a_429_by_default(
    retrying_client: stripe.StripeClient, control: httpx.Client
) -> None:
    client = retrying_client
    control.post("/_emulator/faults", json={"next_statuses": [429]}).raise_for_status()
    with pytest.raises(stripe.RateLimitError):
        client.v1.accounts.create({"type": "custom"})
    assert _mutations(control) == []


def test_latency_is_added(control: httpx.Client) -> None:
    control.post("/_emulator/faults", json={"latency_ms": 150}).raise_for_status()
    started = time.monotonic()
    control.get("/v1/accounts", headers=AUTH).raise_for_status()
    assert time.monotonic() - started >= 0.15
    control.post("/_emulator/faults", json={"latency_ms": 0}).raise_for_status()


def test_bad_fault_settings_are_refused(control: httpx.Client) -> None:
    assert control.post("/_emulator/faults", json={"rate_429": 2}).status_code == 400
    assert control.post("/_emulator/faults", json={"burst": 1}).status_code == 400


def _draws(config: FaultConfig, n: int) -> list[int | None]:
    injector = FaultInjector(config)
    return [error.status if (error := injector.draw()) else None for _ in range(n)]


def test_fault_rates_are_deterministic_with_a_seed() -> None:
    config = FaultConfig(rate_429=0.2, rate_500=0.3, seed=11)
    draws = _draws(config, 400)
    assert draws == _draws(config, 400)
    assert 0.1 < draws.count(429) / 400 < 0.3
    assert 0.2 < draws.count(500) / 400 < 0.4
    assert _draws(FaultConfig(seed=11), 50) == [None] * 50
