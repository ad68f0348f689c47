"""verify_event: good, bad, stale and rotated signatures, and what a signed body must be."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from service.domain.actions import PlannedAction
from service.stripe_gateway.errors import WebhookPayloadError, WebhookSignatureError
from service.stripe_gateway.sdk_gateway import SdkStripeGateway
from service.stripe_gateway.webhooks import verify_event

Sign = Callable[..., str]
OLD, NEW = "whsec_old_secret", "whsec_new_secret"
EVENT = json.dumps(
    {"id": "evt_1", "object": "event", "type": "account.updated", "data": {"object": {}}}
).encode()


def test_good_signature_gives_the_event(sign: Sign) -> None:
    event = verify_event(EVENT, sign(EVENT, [NEW]), [NEW])
    assert (event["id"], event["type"]) == ("evt_1", "account.updated")


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("", "No Stripe-Signature header"),
        ("garbage", "Unable to extract timestamp"),
        ("t=1", "No signatures found with expected scheme"),
    ],
)
def test_missing_or_malformed_header(header: str, reason: str) -> None:
    with pytest.raises(WebhookSignatureError, match=reason):
        verify_event(EVENT, header, [NEW])


def test_wrong_secret_or_changed_body_is_refused(sign: Sign) -> None:
    with pytest.raises(WebhookSignatureError, match="No signatures found matching"):
        verify_event(EVENT, sign(EVENT, ["whsec_someone_else"]), [NEW])
    with pytest.raises(WebhookSignatureError):
        verify_event(EVENT.replace(b"evt_1", b"evt_2"), sign(EVENT, [NEW]), [NEW])


def test_stale_signature_is_refused_unless_tolerated(sign: Sign) -> None:
    header = sign(EVENT, [NEW], timestamp=int(time.time()) - 301)
    with pytest.raises(WebhookSignatureError, match="tolerance"):
        verify_event(EVENT, header, [OLD, NEW])
    assert verify_event(EVENT, header, [NEW], tolerance=600)["id"] == "evt_1"


def test_a_signature_stamped_in_the_future_is_refused(sign: Sign) -> None:
    ahead = sign(EVENT, [NEW], timestamp=int(time.time()) + 3600)
    with pytest.raises(WebhookSignatureError, match="ahead"):
        verify_event(EVENT, ahead, [NEW])
    slightly = sign(EVENT, [NEW], timestamp=int(time.time()) + 30)  # clocks differ a little
    assert verify_event(EVENT, slightly, [NEW])["id"] == "evt_1"


def test_rotation_accepts_either_secret(sign: Sign) -> None:
    assert verify_event(EVENT, sign(EVENT, [OLD]), [NEW, OLD])["id"] == "evt_1"
    assert verify_event(EVENT, sign(EVENT, [NEW]), [NEW, OLD])["id"] == "evt_1"
    both = sign(EVENT, [OLD, NEW])  # Stripe signs with both while a secret is rolled
    assert verify_event(EVENT, both, [NEW])["id"] == "evt_1"
    with pytest.raises(WebhookSignatureError):
        verify_event(EVENT, sign(EVENT, [OLD]), [NEW])


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'{"object": "charge", "id": "ch_1"}', b'{"object": "event"}'],
)
def test_signed_bodies_that_are_not_events(sign: Sign, body: bytes) -> None:
    with pytest.raises(WebhookPayloadError):
        verify_event(body, sign(body, [NEW]), [NEW])


def test_non_utf8_body_and_no_secret(sign: Sign) -> None:
    with pytest.raises(WebhookPayloadError, match="UTF-8"):
        verify_event(b"\xff\xfe", sign(b"\xff\xfe", [NEW]), [NEW])
    with pytest.raises(ValueError, match="STRIPE_WEBHOOK_SECRET"):
        verify_event(EVENT, sign(EVENT, [NEW]), [])


def test_emulator_deliveries_verify_and_echo_our_idempotency_key(
    gateway: SdkStripeGateway,
    create_account: Callable[..., dict[str, Any]],
    action: Callable[..., PlannedAction],
    control: httpx.Client,
    catcher: Any,
) -> None:
    account_id = create_account("custom")["id"]
    planned = action("metadata", account_id, {"metadata": {"risk_band": "high"}})
    assert gateway.apply(planned).status == "applied"
    control.post("/_emulator/flush").raise_for_status()
    events = [verify_event(body, header, ["whsec_other", "whsec_gateway_tests"])
              for body, header in catcher.taken()]  # fmt: skip
    updated = [e for e in events if e["type"] == "account.updated"]
    assert updated and updated[-1]["account"] == account_id
    assert updated[-1]["request"]["idempotency_key"] == planned.idempotency_key
