"""End to end: the Stripe emulator signs and POSTs events; the API stores them; the in-process
worker turns them into transactions and account state."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select
from svc_support import LiveServer, make_settings
from wh_support import NEW_SECRET

from service.app import create_app
from service.db.models import Account, Transaction
from service.stripe_emulator.config import EmulatorConfig
from service.stripe_emulator.server import EmulatorServer
from service.stripe_emulator.spec import find_spec_path, load_fixtures
from service.worker.runner import start_inprocess_worker


@pytest.fixture
def api(database_url: str) -> Iterator[LiveServer]:
    settings = make_settings(database_url, stripe_webhook_secret=SecretStr(NEW_SECRET))
    with LiveServer(create_app(settings)) as server:
        yield server


@pytest.fixture
def emulator(api: LiveServer) -> Iterator[httpx.Client]:
    config = EmulatorConfig(
        port=0,
        seed=3,
        webhook_url=f"{api.url}/v1/webhooks/stripe",
        webhook_secret=NEW_SECRET,
    )
    with EmulatorServer(config) as server, httpx.Client(base_url=server.base_url) as http:
        yield http


def _wait_for(check: Any, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_emulated_deliveries_become_transactions(api: LiveServer, emulator: httpx.Client) -> None:
    app = api.server.config.app
    worker = start_inprocess_worker(app, poll_seconds=0.05)
    try:
        fixtures = load_fixtures(find_spec_path())
        charge = copy.deepcopy(fixtures["charge"])
        charge.update(id="ch_e2e1", transfer_data=None, on_behalf_of=None)
        dispute = copy.deepcopy(fixtures["dispute"])
        dispute.update(id="dp_e2e1", charge="ch_e2e1", status="needs_response")
        for kind, obj in (("charge.succeeded", charge), ("charge.dispute.created", dispute)):
            body = {"type": kind, "data": {"object": obj}, "account": "acct_e2e1"}
            emulator.post("/_emulator/events", json=body).raise_for_status()
        emulator.post("/_emulator/flush", params={"timeout": 10}).raise_for_status()

        def stored() -> list[tuple[str, str]]:
            with app.state.database.session() as session:
                rows = session.scalars(
                    select(Transaction).where(Transaction.account_id == "acct_e2e1")
                )
                return sorted((row.id, row.type) for row in rows)

        assert _wait_for(lambda: len(stored()) == 2 and stored()) == [
            ("ch_e2e1", "charge"),
            ("dp_e2e1", "dispute"),
        ]
        account = copy.deepcopy(fixtures["account"])
        account.update(id="acct_e2e2", email="e2e@example.com")
        emulator.post("/_emulator/accounts", json=account).raise_for_status()
        account["email"] = "changed@example.com"
        emulator.post(
            "/_emulator/accounts", params={"event": "account.updated"}, json=account
        ).raise_for_status()

        def email() -> str | None:
            with app.state.database.session() as session:
                row = session.get(Account, "acct_e2e2")
                state = None if row is None else row.stripe_state
                return None if state is None else state["email"]

        assert _wait_for(email) == "changed@example.com"
    finally:
        worker.stop()
    assert not worker.thread.is_alive()
