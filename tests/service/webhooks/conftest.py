"""Webhook fixtures: the API over real HTTP per backend, with two signing secrets (rotation)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr
from svc_support import LiveServer, make_settings
from wh_support import MAX_BODY_BYTES, NEW_SECRET, OLD_SECRET

from service.app import create_app
from service.db.database import Database


@pytest.fixture(scope="session")
def webhook_database(shared_database_url: str) -> Iterator[Database]:
    database = Database.connect(shared_database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def webhook_server(shared_database_url: str) -> Iterator[LiveServer]:
    settings = make_settings(
        shared_database_url,
        stripe_webhook_secret=SecretStr(f"{NEW_SECRET},{OLD_SECRET}"),
        max_body_bytes=MAX_BODY_BYTES,
        # The route's own effects are asserted here; worker tests drive a Worker themselves.
        inprocess_worker=False,
    )
    with LiveServer(create_app(settings)) as server:
        yield server


@pytest.fixture
def client(webhook_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=webhook_server.url, timeout=10) as http:
        yield http
