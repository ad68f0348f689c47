"""Capabilities over real HTTP with the SDK: request, review, remove, list, permanence, rules."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import stripe

from service.stripe_emulator.validation import SpecValidators


def _wait_status(
    client: stripe.StripeClient, account_id: str, name: str, status: str, timeout: float = 3.0
) -> stripe.Capability:
    deadline = time.monotonic() + timeout
    while True:
        capability = client.v1.accounts.capabilities.retrieve(account_id, name)
        if capability.status == status or time.monotonic() > deadline:
            return capability
        time.sleep(0.02)


def test_requested_capability_goes_pending_then_active(
    client: stripe.StripeClient, validators: SpecValidators
) -> None:
    account = client.v1.accounts.create({"type": "custom"})
    pending = client.v1.accounts.capabilities.update(
        account.id, "card_payments", {"requested": True}
    )
    assert (pending.status, pending.requested) == ("pending", True)
    assert pending.requirements.disabled_reason == "pending.review"
    active = _wait_status(client, account.id, "card_payments", "active")
    assert active.status == "active"
    assert client.v1.accounts.retrieve(account.id).capabilities.card_payments == "active"
    assert validators.response_errors("capability", active.to_dict()) == []


def test_update_account_capabilities_and_list(
    client: stripe.StripeClient, validators: SpecValidators, control: httpx.Client
) -> None:
    account = client.v1.accounts.create({"type": "custom"})
    updated = client.v1.accounts.update(
        account.id,
        {"capabilities": {"transfers": {"requested": True}, "treasury": {"requested": True}}},
    )
    assert updated.capabilities.to_dict() == {"transfers": "pending", "treasury": "pending"}
    listed = client.v1.accounts.capabilities.list(account.id)
    assert sorted(c.id for c in listed.data) == ["transfers", "treasury"]
    assert all(c.account == account.id and c.requested for c in listed.data)
    raw = control.get(
        f"/v1/accounts/{account.id}/capabilities", headers={"Authorization": "Bearer sk_test_1"}
    ).json()
    assert validators.response_errors("GET /v1/accounts/{account}/capabilities", raw) == []


def test_removing_a_capability(client: stripe.StripeClient) -> None:
    account = client.v1.accounts.create(
        {"type": "custom", "capabilities": {"card_payments": {"requested": True}}}
    )
    removed = client.v1.accounts.capabilities.update(
        account.id, "card_payments", {"requested": False}
    )
    assert (removed.status, removed.requested) == ("unrequested", False)
    assert client.v1.accounts.retrieve(account.id).capabilities.card_payments == "inactive"
    never = client.v1.accounts.capabilities.retrieve(account.id, "treasury")
    assert (never.status, never.requested) == ("unrequested", False)


@pytest.mark.parametrize(
    ("kind", "permanent"), [("express", "transfers"), ("standard", "card_payments")]
)
def test_permanent_capabilities_cannot_be_removed(
    client: stripe.StripeClient, kind: str, permanent: str
) -> None:
    account = client.v1.accounts.create(
        {"type": kind, "capabilities": {permanent: {"requested": True}}}
    )
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.accounts.capabilities.update(account.id, permanent, {"requested": False})
    assert caught.value.error.param == "requested"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.accounts.update(account.id, {"capabilities": {permanent: {"requested": False}}})
    assert caught.value.error.param == f"capabilities[{permanent}][requested]"
    assert client.v1.accounts.capabilities.retrieve(account.id, permanent).requested is True


def test_capabilities_refused_without_platform_controls(
    client: stripe.StripeClient, seed: Callable[..., str], make_account: Callable[..., Any]
) -> None:
    account_id = seed(make_account("acct_1OauthStandard03"))
    with pytest.raises(stripe.PermissionError):
        client.v1.accounts.capabilities.update(account_id, "treasury", {"requested": True})
    with pytest.raises(stripe.PermissionError):
        client.v1.accounts.update(account_id, {"capabilities": {"treasury": {"requested": True}}})
    seeded = client.v1.accounts.capabilities.list(account_id)
    assert {c.id: c.status for c in seeded.data} == {
        "card_payments": "active",
        "transfers": "active",
    }


def test_past_due_requirements_keep_a_capability_inactive(
    client: stripe.StripeClient, seed: Callable[..., str], make_account: Callable[..., Any],
    fixture_account: dict[str, Any],
) -> None:  # fmt: skip
    requirements = dict(fixture_account["requirements"], past_due=["external_account"])
    controller = {
        "type": "application",
        "is_controller": True,
        "losses": {"payments": "application"},
    }
    account_id = seed(
        make_account(
            "acct_1CustomPastDue1",
            type="custom",
            controller=controller,
            requirements=requirements,
            capabilities={},
        )  # fmt: skip
    )
    capability = client.v1.accounts.capabilities.update(
        account_id, "transfers", {"requested": True}
    )
    assert capability.status == "inactive"
    assert capability.requirements.disabled_reason == "requirements.fields_needed"
    assert capability.requirements.past_due == ["external_account"]


def test_unknown_capability_is_resource_missing(client: stripe.StripeClient) -> None:
    account = client.v1.accounts.create({"type": "custom"})
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.accounts.capabilities.retrieve(account.id, "teleport_payments")
    assert (caught.value.http_status, caught.value.error.param) == (404, "capability")
