"""A write is stored only once its answer passes the spec check, so a bad write poisons nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import stripe

from service.stripe_emulator.server import EmulatorServer
from service.stripe_emulator.validation import SpecValidators

REFUSED_EMAIL = "refused@example.com"


class RefusingValidators:
    """The real validators, except that the spec is taken to refuse some accounts.

    Stands in for any emulator bug that builds an object the spec refuses: an account whose
    email is REFUSED_EMAIL, or whose `transfers` capability is pending.
    """

    def __init__(self, real: SpecValidators) -> None:
        self.real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def response_errors(self, schema_key: str, instance: Any) -> list[str]:
        if isinstance(instance, dict) and instance.get("object") == "account":
            if instance.get("email") == REFUSED_EMAIL:
                return ["email: refused by the test"]
            if (instance.get("capabilities") or {}).get("transfers") == "pending":
                return ["capabilities/transfers: refused by the test"]
        return self.real.response_errors(schema_key, instance)


@pytest.fixture(autouse=True)
def refusing(emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        emulator.emulator, "validators", RefusingValidators(emulator.emulator.validators)
    )


def _last_request(control: httpx.Client) -> dict[str, Any]:
    return dict(control.get("/_emulator/requests").json()["data"][-1])


def test_an_answer_that_breaks_the_spec_stores_nothing(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    account = client.v1.accounts.create({"type": "custom", "email": "owner@example.com"})
    with pytest.raises(stripe.APIError) as caught:
        client.v1.accounts.update(account.id, {"email": REFUSED_EMAIL, "metadata": {"k": "v"}})
    assert caught.value.http_status == 500
    assert "email" in str(caught.value)
    assert (_last_request(control)["status"], _last_request(control)["mutated"]) == (500, False)
    after = client.v1.accounts.retrieve(account.id)
    assert after.to_dict() == account.to_dict()
    assert [e["event"]["type"] for e in control.get("/_emulator/events").json()["data"]] == []


def test_an_account_that_would_break_the_spec_is_not_stored_behind_a_valid_answer(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    account = client.v1.accounts.create({"type": "express"})
    with pytest.raises(stripe.APIError) as caught:
        client.v1.accounts.capabilities.update(account.id, "transfers", {"requested": True})
    assert caught.value.http_status == 500
    assert "capabilities/transfers" in str(caught.value)
    assert _last_request(control)["mutated"] is False
    capability = client.v1.accounts.capabilities.retrieve(account.id, "transfers")
    assert (capability.status, capability.requested) == ("unrequested", False)
    assert client.v1.accounts.retrieve(account.id).to_dict() == account.to_dict()
