"""Bad requests get RFC 9457 problems: 422 with field paths, 413, 404, 405, and 503 when the
database is down (at start-up or mid-flight), which recovers when it is back."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from sqlalchemy.engine import make_url
from svc_api_support import FakeModelStatus, IssueKey, TcpProxy, issue_into
from svc_support import LiveServer, PostgresSchemas, make_settings
from test_api_auth import assert_problem

from service.api.body_limit import BodyLimits
from service.api.deps import get_model_status
from service.api.problems import PROBLEM_JSON
from service.api.router import body_limits
from service.app import create_app
from service.db.database import Database

MIB = 1024 * 1024


def test_invalid_body_is_422_with_field_paths(api: httpx.Client, issue: IssueKey) -> None:
    admin = issue(["admin"])
    response = api.post(
        "/v1/api-keys",
        headers=admin.headers,
        json={"name": "", "scopes": ["scores:write", "scores:wrte"]},
    )
    body = assert_problem(response, 422, "invalid-input")
    errors = {tuple(error["loc"]): error for error in body["errors"]}  # type: ignore[union-attr]
    assert set(errors) == {("body", "name"), ("body", "scopes", 1)}
    assert "unknown scope 'scores:wrte'" in errors[("body", "scopes", 1)]["msg"]
    assert all(set(error) == {"loc", "msg", "type"} for error in errors.values())


def test_malformed_json_is_422(api: httpx.Client, issue: IssueKey) -> None:
    admin = issue(["admin"])
    response = api.post(
        "/v1/api-keys",
        headers={**admin.headers, "Content-Type": "application/json"},
        content=b'{"name": "x",',
    )
    body = assert_problem(response, 422, "invalid-input")
    assert body["errors"][0]["type"] == "json_invalid"  # type: ignore[index]


@pytest.mark.parametrize(
    "content",
    [b'{"name": "caf\xe9"}', b"[" * 5000 + b"]" * 5000],
    ids=["not-utf8", "nested-too-deeply"],
)
def test_json_that_cannot_be_read_is_422_on_the_body(
    api: httpx.Client, issue: IssueKey, content: bytes
) -> None:
    admin = issue(["admin"])
    response = api.post(
        "/v1/api-keys",
        headers={**admin.headers, "Content-Type": "application/json"},
        content=content,
    )
    body = assert_problem(response, 422, "invalid-input")
    assert body["errors"] == [  # type: ignore[index]
        {
            "loc": ["body"],
            "msg": "the body is not UTF-8 JSON, or nests too deeply",
            "type": "body_unreadable",
        }
    ]


@pytest.mark.parametrize(
    ("content_type", "content"),
    [
        ("text/plain", b'{"name": "x", "scopes": ["admin"]}'),
        ("application/x-www-form-urlencoded", b"name=x"),
    ],
)
def test_a_body_that_is_not_json_is_415(
    api: httpx.Client, issue: IssueKey, content_type: str, content: bytes
) -> None:
    admin = issue(["admin"])
    response = api.post(
        "/v1/api-keys", headers={**admin.headers, "Content-Type": content_type}, content=content
    )
    body = assert_problem(response, 415, "unsupported-media-type")
    assert body["detail"] == f"{content_type} is not accepted; send the body as application/json"


def test_a_declared_body_over_the_limit_is_413(api: httpx.Client, issue: IssueKey) -> None:
    admin = issue(["admin"])
    response = api.post(
        "/v1/api-keys",
        headers={**admin.headers, "Content-Type": "application/json"},
        content=b" " * (MIB + 1),
    )
    body = assert_problem(response, 413, "payload-too-large")
    assert str(MIB) in str(body["detail"])


def test_a_streamed_body_over_the_limit_is_413(api: httpx.Client, issue: IssueKey) -> None:
    admin = issue(["admin"])

    def chunks() -> object:
        for _ in range(20):
            yield b" " * (64 * 1024)

    response = api.post(
        "/v1/api-keys",
        headers={**admin.headers, "Content-Type": "application/json"},
        content=chunks(),  # no Content-Length: sent chunked
    )
    assert_problem(response, 413, "payload-too-large")


def test_document_uploads_get_their_own_limit() -> None:
    limits = body_limits(make_settings("sqlite://", max_body_bytes=10, max_document_bytes=99))
    assert limits.for_path("/v1/accounts/acct_1/documents") == 99
    assert limits.for_path("/v1/scores") == 10
    assert limits.for_path("/v1/accounts/acct_1/documents/extra") == 10
    assert BodyLimits(default=5).for_path("/anything") == 5


def test_unknown_routes_and_methods_are_problems(api: httpx.Client, issue: IssueKey) -> None:
    missing = api.get("/v1/nothing-here", headers=issue(["admin"]).headers)
    assert_problem_plain(missing, 404)
    assert missing.json()["detail"].startswith("nothing is served at /v1/nothing-here")
    response = api.put("/v1/whoami", headers=issue(["admin"]).headers)
    assert_problem_plain(response, 405)
    assert response.headers["allow"] == "GET"
    assert response.json()["detail"] == "PUT is not allowed on /v1/whoami (allowed: GET)"


def test_no_operation_declares_fastapis_own_validation_error(api: httpx.Client) -> None:
    # Every 422 is problem+json; a client generated from the schema must be told so.
    schema = api.get("/openapi.json").json()
    answers = [
        (f"{method} {path}", status, answer)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for status, answer in operation["responses"].items()
    ]
    assert [where for where, _, answer in answers if "HTTPValidationError" in str(answer)] == []
    invalid = [(where, answer) for where, status, answer in answers if status == "422"]
    assert invalid, "the routes that take input declare their 422"
    declared = [where for where, answer in invalid if PROBLEM_JSON not in answer["content"]]
    assert declared == []


def assert_problem_plain(response: httpx.Response, status: int) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "about:blank"


def test_revoking_an_unknown_key_is_404(api: httpx.Client, issue: IssueKey) -> None:
    response = api.delete("/v1/api-keys/0123456789ab", headers=issue(["admin"]).headers)
    assert_problem(response, 404, "unknown-api-key")


def test_a_database_down_at_start_up_gives_503_until_it_answers(
    model_status: FakeModelStatus,
) -> None:
    settings = make_settings("postgresql+psycopg://postgres@127.0.0.1:1/nothing")
    with LiveServer(create_app(settings, model_status=model_status)) as server:
        with httpx.Client(base_url=server.url) as client:
            assert client.get("/healthz").status_code == 200
            ready = client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["database"] == "unreachable"
            response = client.get(
                "/v1/whoami", headers={"Authorization": "Bearer cr_live_000000000000_" + "A" * 32}
            )
            assert_problem(response, 503, "store-unavailable")
            assert response.headers["retry-after"].isdigit()
            metrics = client.get("/metrics")
            assert metrics.status_code == 200
            assert "connect_risk_database_up 0.0" in metrics.text
            assert "connect_risk_inbox_depth NaN" in metrics.text


@pytest.mark.postgres
def test_postgres_going_away_mid_flight_gives_503_then_recovers(
    postgres_database: Database, model_status: FakeModelStatus
) -> None:
    url = make_url(str(postgres_database.engine.url.render_as_string(hide_password=False)))
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    key = issue_into(postgres_database, ["scores:write"])
    try:
        with LiveServer(create_app(make_settings(proxied), model_status=model_status)) as server:
            with httpx.Client(base_url=server.url, timeout=15) as client:
                assert client.get("/v1/whoami", headers=key.headers).status_code == 200
                proxy.cut()
                response = client.get("/v1/whoami", headers=key.headers)
                assert_problem(response, 503, "store-unavailable")
                assert re.fullmatch(r"\d+", response.headers["retry-after"])
                assert client.get("/readyz").json()["database"] == "unreachable"
                assert client.get("/healthz").status_code == 200
                proxy.restore()
                assert client.get("/v1/whoami", headers=key.headers).status_code == 200
    finally:
        proxy.close()


def test_an_unexpected_error_is_a_500_problem_that_reveals_nothing(
    shared_database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    account = "_".join(["acct", "secret", "123"])  # runtime data, absent from the source line

    def broken_model_status() -> None:
        raise RuntimeError(f"{account} blew up")

    app = create_app(make_settings(shared_database_url))
    app.dependency_overrides[get_model_status] = broken_model_status
    with LiveServer(app) as server, caplog.at_level(logging.INFO):
        response = httpx.get(f"{server.url}/readyz")
    assert response.status_code == 500
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "unhandled RuntimeError" in logged and "/readyz 500" in logged
    assert "acct_secret_123" not in logged
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:connect-risk:problem:internal-error"
    assert "acct_secret_123" not in response.text


@pytest.mark.postgres
def test_a_database_back_after_start_up_is_migrated_and_used(
    postgres_schemas: PostgresSchemas, model_status: FakeModelStatus
) -> None:
    postgres_schemas.check_reachable()
    url = make_url(postgres_schemas.new_url())  # empty: no tables yet
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.cut()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        with LiveServer(create_app(make_settings(proxied), model_status=model_status)) as server:
            with httpx.Client(base_url=server.url, timeout=15) as client:
                assert client.get("/readyz").json()["database"] == "unreachable"
                proxy.restore()
                assert client.get("/readyz").json()["database"] == "ok"
                database = Database.connect(url.render_as_string(hide_password=False))
                try:
                    key = issue_into(database, ["scores:write"])
                finally:
                    database.dispose()
                assert client.get("/v1/whoami", headers=key.headers).status_code == 200
    finally:
        proxy.close()
