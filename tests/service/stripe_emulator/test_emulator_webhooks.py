"""Signed events: delivery to a receiver that verifies with the SDK, and their content."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import stripe

from service.stripe_emulator.validation import SpecValidators
from service.stripe_emulator.webhooks import WebhookSender, previous_attributes, signature_header


def _of_type(event_type: str, count: int = 1) -> Callable[[list[dict[str, Any]]], bool]:
    return lambda events: sum(e["type"] == event_type for e in events) >= count


def test_update_sends_a_signed_account_updated_event(
    client: stripe.StripeClient, receiver: Any, validators: SpecValidators
) -> None:
    account = client.v1.accounts.create({"type": "custom"})
    options = {"idempotency_key": "decision-7:payout_schedule"}
    params = {
        "settings": {"payouts": {"schedule": {"interval": "weekly", "weekly_anchor": "monday"}}}
    }
    client.v1.accounts.update(account.id, params, options)  # type: ignore[arg-type]
    events = receiver.wait_for(_of_type("account.updated"))
    event = next(e for e in events if e["type"] == "account.updated")
    assert validators.response_errors("event", event) == []
    assert event["id"].startswith("evt_") and event["livemode"] is False
    assert (event["account"], event["api_version"]) == (account.id, "2026-10-28.endive")
    assert event["request"]["idempotency_key"] == "decision-7:payout_schedule"
    assert event["data"]["object"]["settings"]["payouts"]["schedule"]["interval"] == "weekly"
    before = account.settings.payouts.schedule
    assert event["data"]["previous_attributes"] == {
        "settings": {"payouts": {"schedule": {"interval": before.interval, "weekly_anchor": None}}}
    }
    assert receiver.rejected == []


def test_capability_change_also_sends_capability_updated(
    client: stripe.StripeClient, receiver: Any
) -> None:
    account = client.v1.accounts.create({"type": "custom"})
    client.v1.accounts.capabilities.update(account.id, "transfers", {"requested": True})
    events = receiver.wait_for(lambda es: _of_type("capability.updated", 2)(es))
    capability_events = [e for e in events if e["type"] == "capability.updated"]
    pending, active = (e["data"] for e in capability_events[:2])
    assert pending["object"]["status"] == "pending"
    assert pending["previous_attributes"]["status"] == "unrequested"
    assert (active["object"]["status"], active["previous_attributes"]) == (
        "active",
        {"status": "pending", "requirements": {"disabled_reason": "pending.review"}},
    )
    account_events = [e for e in events if e["type"] == "account.updated"]
    assert account_events[0]["data"]["previous_attributes"] == {"capabilities": {"transfers": None}}
    assert all(e["account"] == account.id for e in events)


def test_reject_reports_previous_flags(client: stripe.StripeClient, receiver: Any) -> None:
    account = client.v1.accounts.create({"type": "express"})
    client.v1.accounts.reject(account.id, {"reason": "fraud_other"})
    events = receiver.wait_for(_of_type("account.updated"))
    previous = events[-1]["data"]["previous_attributes"]
    assert previous["requirements"] == {"disabled_reason": account.requirements.disabled_reason}
    assert "charges_enabled" not in previous  # it was already false: unchanged keys are left out


def test_seeding_with_an_event_models_a_change_on_stripes_side(
    seed: Callable[..., str], make_account: Callable[..., Any], receiver: Any
) -> None:
    original = make_account("acct_1StripeSide0001")
    seed(original)
    changed = copy.deepcopy(original)
    changed["requirements"]["past_due"] = ["individual.verification.document"]
    seed(changed, event="account.updated")
    event = receiver.wait_for(_of_type("account.updated"))[-1]
    assert event["data"]["previous_attributes"] == {"requirements": {"past_due": []}}


def test_arbitrary_events_are_signed_and_sent(
    control: httpx.Client, receiver: Any, validators: SpecValidators
) -> None:
    charge = copy.deepcopy(validators.fixtures["charge"])
    response = control.post(
        "/_emulator/events",
        json={"type": "charge.dispute.created", "data": {"object": charge}, "account": "acct_1X"},
    )
    assert response.status_code == 200, response.text
    event = receiver.wait_for(_of_type("charge.dispute.created"))[-1]
    assert event == response.json()
    bad = control.post("/_emulator/events", json={"type": "charge.succeeded", "data": {}})
    assert bad.status_code == 400


def test_no_webhook_is_sent_for_reads_or_refusals(
    client: stripe.StripeClient, control: httpx.Client, receiver: Any
) -> None:
    account = client.v1.accounts.create({"type": "standard"})
    client.v1.accounts.retrieve(account.id)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.accounts.reject(account.id, {"reason": "fraud_other"})
    control.post("/_emulator/flush").raise_for_status()
    assert [e["type"] for e in receiver.events if e["type"] == "account.updated"] == []


def test_failed_deliveries_are_retried(client: stripe.StripeClient, receiver: Any) -> None:
    account = client.v1.accounts.create({"type": "custom"})
    receiver.fail_next = 1
    client.v1.accounts.update(account.id, {"metadata": {"k": "v"}})
    assert receiver.wait_for(_of_type("account.updated"))


def test_signature_matches_the_sdk_scheme() -> None:
    payload = '{"id": "evt_1", "object": "event"}'
    header = signature_header(payload.encode(), "whsec_x", 1_700_000_000)
    assert header.startswith("t=1700000000,v1=")
    assert stripe.WebhookSignature.verify_header(payload, header, "whsec_x", tolerance=None)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(payload + " ", header, "whsec_x", tolerance=None)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(payload, header, "whsec_y", tolerance=None)


def test_sender_gives_up_after_its_retries() -> None:
    calls: list[dict[str, str]] = []

    def refuse(_url: str, _body: bytes, headers: dict[str, str]) -> int:
        calls.append(headers)
        return 503

    sender = WebhookSender("http://unused.invalid/", "whsec_x", post=refuse)
    record: dict[str, Any] = {"event": {"id": "evt_1"}, "deliveries": []}
    sender.send(record)
    assert sender.flush(timeout=5)
    sender.close()
    assert record["delivered"] is False
    assert [d["status"] for d in record["deliveries"]] == [503, 503, 503]
    assert all(json.dumps(h).count("v1=") == 1 for h in calls)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({"a": 1, "b": [1]}, {"a": 1, "b": [1, 2]}, {"b": [1]}),
        ({"a": {"x": 1, "y": 2}}, {"a": {"x": 1, "y": 3}}, {"a": {"y": 2}}),
        ({}, {"a": {"x": 1}}, {"a": None}),
        ({"a": 1}, {}, {"a": 1}),
    ],
)
def test_previous_attributes(old: dict[str, Any], new: dict[str, Any], expected: Any) -> None:
    assert previous_attributes(old, new) == expected
