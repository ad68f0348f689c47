"""API fixtures: one live server per backend on its shared database, and keys issued into it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from svc_api_support import FakeModelStatus, IssueKey, KeyForTests, issue_into
from svc_support import LiveServer, make_settings

from service.app import create_app
from service.db.database import Database


@pytest.fixture(scope="session")
def model_status() -> FakeModelStatus:
    return FakeModelStatus()


@pytest.fixture(scope="session")
def shared_database(shared_database_url: str) -> Iterator[Database]:
    database = Database.connect(shared_database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def api_server(shared_database_url: str, model_status: FakeModelStatus) -> Iterator[LiveServer]:
    """The API over real HTTP on the session's shared database of the current backend.

    Without the in-process worker: its dispatcher would settle the actions other tests plan
    in the shared database while they look at them."""
    settings = make_settings(shared_database_url, inprocess_worker=False)
    app = create_app(settings, model_status=model_status)
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def api(api_server: LiveServer, model_status: FakeModelStatus) -> Iterator[httpx.Client]:
    """An HTTP client for the shared server, whose model is reset to "not loaded"."""
    model_status.ready, model_status.version = False, None
    with httpx.Client(base_url=api_server.url, timeout=10) as client:
        yield client


@pytest.fixture
def issue(shared_database: Database) -> IssueKey:
    """`issue(["scores:write"])`: a fresh key in the shared server's database."""

    def _issue(scopes: list[str], name: str = "test key") -> KeyForTests:
        return issue_into(shared_database, scopes, name)

    return _issue
