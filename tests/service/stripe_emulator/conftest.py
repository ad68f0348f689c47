"""Shared fixtures: one real-HTTP emulator and one webhook receiver per session, reset per test."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import stripe
from svc_webhook_endpoint import LoopbackWebhookEndpoint, empty_emulator

from service.stripe_emulator.config import EmulatorConfig
from service.stripe_emulator.server import EmulatorServer
from service.stripe_emulator.spec import find_spec_path
from service.stripe_emulator.validation import SpecValidators, validators_for

WEBHOOK_SECRET = "whsec_emulator_tests"
API_KEY = "sk_test_emulator_tests"


class WebhookReceiver(LoopbackWebhookEndpoint):
    """A tiny webhook endpoint that verifies every delivery with the SDK, as the service will."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.rejected: list[str] = []
        self.fail_next = 0
        super().__init__()

    def handle(self, body: bytes, signature: str) -> int:
        return self.receive(body, signature)

    def receive(self, payload: bytes, header: str) -> int:
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return 500
            try:
                stripe.Webhook.construct_event(payload.decode(), header, WEBHOOK_SECRET)
            except (stripe.SignatureVerificationError, ValueError) as exc:
                self.rejected.append(str(exc))
                return 400
            self.events.append(json.loads(payload))
            return 200

    def clear(self) -> None:
        with self.lock:
            self.events.clear()
            self.rejected.clear()
            self.fail_next = 0

    def wait_for(
        self, predicate: Callable[[list[dict[str, Any]]], bool], timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """The received events once predicate holds for them; fails the test on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                events = list(self.events)
            if predicate(events):
                return events
            time.sleep(0.02)
        raise AssertionError(f"webhook condition not met; received {[e['type'] for e in events]}")


@pytest.fixture(scope="session")
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver()
    yield server
    server.close()


@pytest.fixture(scope="session")
def emulator_server(receiver: WebhookReceiver) -> Iterator[EmulatorServer]:
    config = EmulatorConfig(
        port=0,
        seed=7,
        webhook_url=receiver.url,
        webhook_secret=WEBHOOK_SECRET,
        capability_review_seconds=0.05,
    )
    with EmulatorServer(config) as server:
        yield server


@pytest.fixture
def emulator(emulator_server: EmulatorServer, receiver: WebhookReceiver) -> EmulatorServer:
    """The session emulator, emptied (accounts, keys, logs, faults) for this test."""
    empty_emulator(emulator_server)
    receiver.clear()
    return emulator_server


@pytest.fixture
def control(emulator: EmulatorServer) -> Iterator[httpx.Client]:
    """Plain HTTP access to the emulator (control endpoints and raw API calls)."""
    with httpx.Client(base_url=emulator.base_url) as http:
        yield http


@pytest.fixture
def client(emulator: EmulatorServer) -> stripe.StripeClient:
    """The official SDK pointed at the emulator, without retries."""
    return stripe.StripeClient(API_KEY, base_addresses={"api": emulator.base_url})


@pytest.fixture
def retrying_client(emulator: EmulatorServer) -> stripe.StripeClient:
    """The SDK with its own retries on (2), as the service configures it."""
    return stripe.StripeClient(
        API_KEY, base_addresses={"api": emulator.base_url}, max_network_retries=2
    )


@pytest.fixture(scope="session")
def validators() -> SpecValidators:
    return validators_for(find_spec_path())


@pytest.fixture(scope="session")
def fixture_account(validators: SpecValidators) -> dict[str, Any]:
    """fixtures3.json's account: a Standard account connected by OAuth (no platform control)."""
    return copy.deepcopy(validators.fixtures["account"])


Seed = Callable[..., str]
MakeAccount = Callable[..., dict[str, Any]]


@pytest.fixture
def seed(control: httpx.Client) -> Seed:
    """Seed a full account through the control endpoint; returns its id."""

    def _seed(account: dict[str, Any], event: str | None = None) -> str:
        params = {"event": event} if event else None
        response = control.post("/_emulator/accounts", json=account, params=params)
        assert response.status_code == 200, response.text
        return str(account["id"])

    return _seed


@pytest.fixture
def make_account(fixture_account: dict[str, Any]) -> MakeAccount:
    """Copies of the fixture account with a new id and top-level changes."""

    def _make(account_id: str, **changes: Any) -> dict[str, Any]:
        account = copy.deepcopy(fixture_account)
        account.update(id=account_id, **changes)
        account["external_accounts"]["url"] = f"/v1/accounts/{account_id}/external_accounts"
        return account

    return _make
