"""Fixtures for the Stripe gateway: one real-HTTP emulator per session (reset per test), a raw
webhook catcher, account builders and a `generate_header` helper for signed deliveries."""

from __future__ import annotations

import hashlib
import hmac
import random
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import httpx
import pytest
import stripe
from svc_webhook_endpoint import LoopbackWebhookEndpoint, empty_emulator, seed_oauth_standard

from service.domain.actions import ActionKind, PlannedAction, idempotency_key
from service.stripe_emulator.config import EmulatorConfig
from service.stripe_emulator.server import EmulatorServer
from service.stripe_gateway.retry import Backoff
from service.stripe_gateway.sdk_gateway import SdkStripeGateway

API_KEY = "sk_test_gateway_tests"
WEBHOOK_SECRET = "whsec_gateway_tests"


def generate_header(payload: bytes, secrets: Sequence[str], timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header with one v1 signature per secret (Stripe signs with every
    live secret while one is being rolled), computed independently of the SDK."""
    moment = int(time.time()) if timestamp is None else timestamp
    signed = f"{moment}.".encode() + payload
    parts = [f"t={moment}"]
    parts += [f"v1={hmac.new(s.encode(), signed, hashlib.sha256).hexdigest()}" for s in secrets]
    return ",".join(parts)


class WebhookCatcher(LoopbackWebhookEndpoint):
    """Keeps every delivery's raw body and Stripe-Signature header, answering 200."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[bytes, str]] = []
        super().__init__()

    def handle(self, body: bytes, signature: str) -> int:
        with self.lock:
            self.deliveries.append((body, signature))
        return 200

    def taken(self) -> list[tuple[bytes, str]]:
        with self.lock:
            return list(self.deliveries)

    def clear(self) -> None:
        with self.lock:
            self.deliveries.clear()


@pytest.fixture(scope="session")
def catcher() -> Iterator[WebhookCatcher]:
    server = WebhookCatcher()
    yield server
    server.close()


@pytest.fixture(scope="session")
def emulator_server(catcher: WebhookCatcher) -> Iterator[EmulatorServer]:
    config = EmulatorConfig(
        port=0,
        seed=11,
        webhook_url=catcher.url,
        webhook_secret=WEBHOOK_SECRET,
        capability_review_seconds=None,
    )
    with EmulatorServer(config) as server:
        yield server


@pytest.fixture
def emulator(emulator_server: EmulatorServer, catcher: WebhookCatcher) -> EmulatorServer:
    """The session emulator, emptied (accounts, keys, logs, faults) for this test."""
    empty_emulator(emulator_server)
    catcher.clear()
    return emulator_server


@pytest.fixture
def control(emulator: EmulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emulator.base_url) as http:
        yield http


@pytest.fixture
def sdk(emulator: EmulatorServer) -> stripe.StripeClient:
    """A plain SDK client for test setup (creating accounts), not the code under test."""
    return stripe.StripeClient(API_KEY, base_addresses={"api": emulator.base_url})


@pytest.fixture
def sleeps() -> list[float]:
    """Backoff delays the gateway asked for (the tests do not really wait)."""
    return []


@pytest.fixture
def gateway(emulator: EmulatorServer, sleeps: list[float]) -> SdkStripeGateway:
    return SdkStripeGateway(
        API_KEY,
        emulator.base_url,
        max_attempts=4,
        backoff=Backoff(base_seconds=0.5, cap_seconds=4.0),
        sleep=sleeps.append,
        rng=random.Random(3),
    )


Requests = Callable[..., list[dict[str, Any]]]


@pytest.fixture
def requests_log(control: httpx.Client) -> Requests:
    """The emulator's request log, optionally only mutating ones or one idempotency key's."""

    def _log(*, key: str | None = None, mutated: bool | None = None) -> list[dict[str, Any]]:
        entries = control.get("/_emulator/requests").json()["data"]
        return [
            e
            for e in entries
            if (key is None or e["idempotency_key"] == key)
            and (mutated is None or e["mutated"] is mutated)
        ]

    return _log


@pytest.fixture
def create_account(sdk: stripe.StripeClient) -> Callable[..., dict[str, Any]]:
    """Create an account of a type (custom, express, standard) through the emulator's API."""

    def _create(kind: str, **params: Any) -> dict[str, Any]:
        return sdk.v1.accounts.create({"type": kind, "country": "US", **params}).to_dict()

    return _create


@pytest.fixture
def oauth_standard(control: httpx.Client) -> dict[str, Any]:
    """fixtures3.json's account, seeded: a Standard account whose platform has no controls."""
    return seed_oauth_standard(control, "acct_1OauthStandard01")


def make_action(
    kind: ActionKind,
    account_id: str,
    params: dict[str, Any],
    *,
    decision_id: str = "dec_test",
    capability: str | None = None,
) -> PlannedAction:
    """A planned action built by hand, to send what the domain itself would refuse to plan."""
    return PlannedAction(
        kind=kind,
        account_id=account_id,
        params=params,
        idempotency_key=idempotency_key(decision_id, kind, capability),
        status="planned",
        reason="test",
        capability=capability,
    )


@pytest.fixture
def action() -> Callable[..., PlannedAction]:
    return make_action


@pytest.fixture
def sign() -> Callable[..., str]:
    return generate_header
