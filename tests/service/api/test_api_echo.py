"""POST /v1/echo, the load benchmark's baseline: absent by default; when enabled it checks the
key and parses the body exactly as POST /v1/scores does, and returns what it parsed."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from svc_api_support import FakeModelStatus
from svc_support import LiveServer, make_settings

from service.app import create_app

ACCOUNT = {"id": "acct_1EchoTest", "object": "account", "country": "US", "metadata": {"a": "b"}}


@pytest.fixture(scope="module")
def echo_server(shared_database_url: str) -> Iterator[LiveServer]:
    settings = make_settings(shared_database_url, echo_endpoint=True)
    with LiveServer(create_app(settings, model_status=FakeModelStatus())) as server:
        yield server


def test_echo_is_not_served_by_default(api: httpx.Client, issue) -> None:
    key = issue(["scores:write"])
    response = api.post("/v1/echo", json={"account": ACCOUNT}, headers=key.headers)
    assert response.status_code == 404


def test_echo_returns_the_parsed_body(echo_server: LiveServer, issue) -> None:
    key = issue(["scores:write"])
    body = {"account": ACCOUNT, "as_of": "2026-01-02T03:04:05Z"}
    response = httpx.post(f"{echo_server.url}/v1/echo", json=body, headers=key.headers)
    assert response.status_code == 200, response.text
    assert response.json() == body


def test_echo_needs_the_scoring_scope(echo_server: LiveServer, issue) -> None:
    url = f"{echo_server.url}/v1/echo"
    assert httpx.post(url, json={"account": ACCOUNT}).status_code == 401
    reader = issue(["decisions:read"])
    assert httpx.post(url, json={"account": ACCOUNT}, headers=reader.headers).status_code == 403


def test_echo_validates_like_scores(echo_server: LiveServer, issue) -> None:
    key = issue(["scores:write"])
    both = {"account": ACCOUNT, "account_id": "acct_1Other"}
    response = httpx.post(f"{echo_server.url}/v1/echo", json=both, headers=key.headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
