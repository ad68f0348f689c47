"""Applying each action kind through the SDK against the emulator, per account type."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from service.domain.actions import PlannedAction, confirm_rejection
from service.domain.decision import Decision, decide
from service.domain.facts import facts_from_account
from service.domain.policy_model import Policy
from service.domain.policy_yaml import load_default_policy
from service.stripe_gateway.sdk_gateway import SdkStripeGateway

MakeAction = Callable[..., PlannedAction]
CreateAccount = Callable[..., dict[str, Any]]
Requests = Callable[..., list[dict[str, Any]]]
NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_default_policy()


def _decide(gateway: SdkStripeGateway, account_id: str, policy: Policy, **kw: Any) -> Decision:
    account = gateway.retrieve_account(account_id)
    facts = facts_from_account(account, gateway.list_capabilities(account_id))
    return decide(kw.get("decision_id", "dec_1"), kw.get("score", 0.8), facts, policy, "m1", NOW)


@pytest.mark.parametrize("kind", ["custom", "express", "standard"])
def test_each_action_kind_applies_on_controlled_accounts(
    gateway: SdkStripeGateway, create_account: CreateAccount, action: MakeAction, kind: str
) -> None:
    account_id = create_account(kind)["id"]
    schedule = {"interval": "weekly", "weekly_anchor": "friday", "delay_days": 9}
    results = {
        "payout": gateway.apply(
            action("payout_schedule", account_id, {"settings": {"payouts": {"schedule": schedule}}})
        ),
        "metadata": gateway.apply(
            action("metadata", account_id, {"metadata": {"risk_band": "high"}})
        ),
        "request": gateway.apply(
            action("capability", account_id, {"requested": True}, capability="card_payments")
        ),
    }
    assert {name: r.status for name, r in results.items()} == dict.fromkeys(results, "applied")
    assert results["payout"].response_excerpt == {"schedule": schedule}
    assert results["metadata"].response_excerpt == {"metadata": {"risk_band": "high"}}
    assert results["request"].response_excerpt["requested"] is True
    assert all(r.attempts == 1 and r.stripe_request_id for r in results.values())
    stored = gateway.retrieve_account(account_id)
    assert stored["settings"]["payouts"]["schedule"] == schedule
    assert stored["metadata"]["risk_band"] == "high"


@pytest.mark.parametrize("kind", ["custom", "express"])
def test_reject_applies_where_the_platform_carries_losses(
    gateway: SdkStripeGateway, create_account: CreateAccount, action: MakeAction, kind: str
) -> None:
    account_id = create_account(kind)["id"]
    result = gateway.apply(action("reject", account_id, {"reason": "fraud_other"}))
    assert result.status == "applied"
    assert result.response_excerpt["disabled_reason"] == "rejected.platform_fraud"


def test_reject_on_a_standard_account_is_refused_by_stripe(
    gateway: SdkStripeGateway, create_account: CreateAccount, action: MakeAction, policy: Policy
) -> None:
    account_id = create_account("standard")["id"]
    planned = {a.kind: a for a in _decide(gateway, account_id, policy, score=0.9).actions}
    assert planned["reject"].status == "not_controllable"  # the domain never sends it
    forced = gateway.apply(action("reject", account_id, {"reason": "fraud_other"}))
    assert (forced.status, forced.http_status, forced.retryable) == ("failed", 400, False)
    assert "losses.payments" in (forced.message or "")


def test_retired_fraud_reason_is_refused_by_stripe(
    gateway: SdkStripeGateway, create_account: CreateAccount, action: MakeAction
) -> None:
    account_id = create_account("custom")["id"]
    result = gateway.apply(action("reject", account_id, {"reason": "fraud"}))
    assert (result.status, result.http_status) == ("failed", 400)


def test_uncontrolled_account_gives_not_controllable_with_stripes_message(
    gateway: SdkStripeGateway,
    oauth_standard: dict[str, Any],
    action: MakeAction,
    requests_log: Requests,
) -> None:
    account_id = oauth_standard["id"]
    schedule = {"settings": {"payouts": {"schedule": {"interval": "manual"}}}}
    payout = gateway.apply(action("payout_schedule", account_id, schedule))
    capability = gateway.apply(
        action("capability", account_id, {"requested": False}, capability="card_payments")
    )
    for result in (payout, capability):
        assert (result.status, result.http_status, result.attempts) == ("not_controllable", 403, 1)
        assert result.message and account_id in result.message
    assert requests_log(mutated=True) == []
    metadata = gateway.apply(action("metadata", account_id, {"metadata": {"risk_tier": "x"}}))
    assert metadata.status == "applied"


def test_permanent_capability_fails_without_retry(
    gateway: SdkStripeGateway,
    create_account: CreateAccount,
    action: MakeAction,
    requests_log: Requests,
    sleeps: list[float],
) -> None:
    account_id = create_account("express", capabilities={"transfers": {"requested": True}})["id"]
    result = gateway.apply(
        action("capability", account_id, {"requested": False}, capability="transfers")
    )
    assert (result.status, result.http_status, result.retryable) == ("failed", 400, False)
    assert "permanent" in (result.message or "")
    assert len(requests_log(key=result.idempotency_key)) == 1 and sleeps == []


def test_a_decision_applied_then_decided_again_sends_nothing(
    gateway: SdkStripeGateway,
    create_account: CreateAccount,
    policy: Policy,
    requests_log: Requests,
) -> None:
    account_id = create_account("custom", capabilities={"card_payments": {"requested": True}})["id"]
    first = _decide(gateway, account_id, policy, decision_id="dec_1")
    to_send = [confirm_rejection(a) if a.status == "awaiting_review" else a for a in first.actions]
    results = [gateway.apply(a) for a in to_send if a.sends_to_stripe]
    assert [r.status for r in results] == ["applied"] * 4  # payout, card_payments, metadata, reject
    mutations = len(requests_log(mutated=True))
    second = _decide(gateway, account_id, policy, decision_id="dec_2")
    assert [a for a in second.actions if a.sends_to_stripe] == []
    assert {a.kind: a.status for a in second.actions}["reject"] == "noop"
    assert len(requests_log(mutated=True)) == mutations


def test_retrieve_and_list_capabilities(
    gateway: SdkStripeGateway, create_account: CreateAccount
) -> None:
    account_id = create_account("custom", capabilities={"transfers": {"requested": True}})["id"]
    account = gateway.retrieve_account(account_id)
    assert account["id"] == account_id and isinstance(account["controller"], dict)
    capabilities = {c["id"]: c for c in gateway.list_capabilities(account_id)}
    assert capabilities["transfers"]["requested"] is True


def test_unsendable_actions_are_refused_before_any_call(
    gateway: SdkStripeGateway, create_account: CreateAccount, policy: Policy
) -> None:
    account_id = create_account("custom")["id"]
    decision = _decide(gateway, account_id, policy, score=0.9)
    for planned in decision.actions:
        if not planned.sends_to_stripe:
            with pytest.raises(ValueError, match="not to be sent"):
                gateway.apply(planned)
