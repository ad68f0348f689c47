"""Route fixtures: the API over real HTTP on each backend, keys with chosen scopes, records."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest
from svc_routes_support import (
    DOCUMENT_LIMIT,
    MAX_PAGES,
    IssueKey,
    KeyForTests,
    Records,
    issue_into,
)
from svc_support import LiveServer, make_settings

from features.documents import ParseLimits
from service.api.routes.documents import get_parse_limits
from service.app import create_app
from service.db.database import Database


@pytest.fixture(scope="session")
def routes_database(shared_database_url: str) -> Iterator[Database]:
    database = Database.connect(shared_database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def routes_server(shared_database_url: str) -> Iterator[LiveServer]:
    """The API on the session's shared database, with small document limits. No worker thread:
    these tests plant actions and read them back as planted, and a dispatcher would settle them."""
    settings = make_settings(
        shared_database_url, max_document_bytes=DOCUMENT_LIMIT, inprocess_worker=False
    )
    app = create_app(settings)
    app.dependency_overrides[get_parse_limits] = lambda: ParseLimits(
        max_bytes=DOCUMENT_LIMIT, max_pages=MAX_PAGES, timeout_s=10.0
    )
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def client(routes_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=routes_server.url, timeout=30) as http:
        yield http


@pytest.fixture
def issue(routes_database: Database) -> IssueKey:
    """`issue(["documents:write"])`: a fresh key in the shared server's database."""

    def _issue(scopes: list[str]) -> KeyForTests:
        return issue_into(routes_database, scopes)

    return _issue


@pytest.fixture
def records(routes_database: Database) -> Records:
    """Writes accounts, decisions, actions and reviews straight through the repositories."""
    return Records(routes_database)


@pytest.fixture
def account_id() -> str:
    """A fresh, well-formed account id no other test uses."""
    return f"acct_{secrets.token_hex(8)}"
