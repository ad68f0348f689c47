"""Bearer API keys over real HTTP: 401 without a valid key, 403 without the scope."""

from __future__ import annotations

import logging

import httpx
import pytest
from svc_api_support import IssueKey

PROBLEM_JSON = "application/problem+json"


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, object]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["type"] == f"urn:connect-risk:problem:{slug}"
    assert body["status"] == status
    assert body["instance"] == response.request.url.path
    assert isinstance(body["title"], str) and isinstance(body["detail"], str)
    return body


def test_whoami_names_the_calling_key(api: httpx.Client, issue: IssueKey) -> None:
    key = issue(["accounts:read", "scores:write"], name="onboarding")
    response = api.get("/v1/whoami", headers=key.headers)
    assert response.status_code == 200
    assert response.json() == {
        "key_id": key.key_id,
        "name": "onboarding",
        "scopes": ["accounts:read", "scores:write"],
    }


def test_a_missing_key_is_401_with_a_bearer_challenge(api: httpx.Client) -> None:
    response = api.get("/v1/whoami")
    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer cr_live_000000000000_" + "A" * 32,  # well-formed, unknown key id
        "Bearer not-a-key",
        "Basic dXNlcjpwYXNz",
        "Bearer",
    ],
    ids=["unknown-key", "malformed", "basic-auth", "empty"],
)
def test_an_invalid_key_is_401(api: httpx.Client, authorization: str) -> None:
    response = api.get("/v1/whoami", headers={"Authorization": authorization})
    assert_problem(response, 401, "unauthorized")
    # RFC 6750: a token that was sent and refused is `invalid_token`; no token, a bare challenge.
    sent_a_token = authorization.startswith("Bearer ") and len(authorization) > len("Bearer ")
    expected = 'Bearer error="invalid_token"' if sent_a_token else "Bearer"
    assert response.headers["www-authenticate"] == expected


def test_a_key_name_that_cannot_be_kept_is_422_on_its_field(
    api: httpx.Client, issue: IssueKey
) -> None:
    response = api.post(
        "/v1/api-keys",
        headers=issue(["admin"]).headers,
        json={"name": "on\u0007call", "scopes": ["review:read"]},
    )
    assert_problem(response, 422, "invalid-input")
    [error] = response.json()["errors"]
    assert error["loc"] == ["body", "name"] and "printable" in error["msg"]


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer not-a-key", "Basic dXNlcjpwYXNz"],
    ids=["no-key", "malformed", "basic-auth"],
)
def test_without_a_usable_key_the_body_is_never_read(
    api: httpx.Client, authorization: str | None
) -> None:
    # FastAPI parses a body before it solves dependencies: an anonymous caller used to get its
    # JSON parsed and the schema's field errors back (422) instead of 401.
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    for path, body in [("/v1/scores", b"{not json"), ("/v1/scores", b'{"account": 5}')]:
        response = api.post(path, content=body, headers=headers)
        problem = assert_problem(response, 401, "unauthorized")
        assert "errors" not in problem
    unknown = api.get("/v1/no-such-route", headers=headers)  # nor which routes exist
    assert_problem(unknown, 401, "unauthorized")


def test_a_webhook_delivery_needs_no_key_but_its_signature(api: httpx.Client) -> None:
    response = api.post(
        "/v1/webhooks/stripe", content=b"{}", headers={"Content-Type": "application/json"}
    )
    assert response.status_code != 401, response.text
    assert response.json()["type"] != "urn:connect-risk:problem:unauthorized"


def test_a_known_key_id_with_the_wrong_secret_is_401(api: httpx.Client, issue: IssueKey) -> None:
    key = issue(["admin"])
    forged = key.token[:-4] + ("AAAA" if not key.token.endswith("AAAA") else "BBBB")
    response = api.get("/v1/whoami", headers={"Authorization": f"Bearer {forged}"})
    assert_problem(response, 401, "unauthorized")


def test_a_key_without_the_scope_is_403(api: httpx.Client, issue: IssueKey) -> None:
    key = issue(["scores:write"])
    response = api.get("/v1/api-keys", headers=key.headers)
    body = assert_problem(response, 403, "forbidden")
    assert "admin" in str(body["detail"])
    assert response.headers["www-authenticate"] == (
        'Bearer error="insufficient_scope", scope="admin"'
    )


def test_admin_issues_a_key_that_works_until_revoked(api: httpx.Client, issue: IssueKey) -> None:
    admin = issue(["admin"])
    created = api.post(
        "/v1/api-keys", headers=admin.headers, json={"name": "reviews", "scopes": ["review:read"]}
    )
    assert created.status_code == 201
    new_key = created.json()
    assert new_key["key"].startswith(f"cr_live_{new_key['key_id']}_")
    headers = {"Authorization": f"Bearer {new_key['key']}"}
    assert api.get("/v1/whoami", headers=headers).json()["scopes"] == ["review:read"]

    listed = all_keys(api, admin.headers)
    assert new_key["key_id"] in {key["key_id"] for key in listed}
    assert all("key" not in key and "secret_hash" not in key for key in listed)

    revoked = api.delete(f"/v1/api-keys/{new_key['key_id']}", headers=admin.headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert_problem(api.get("/v1/whoami", headers=headers), 401, "unauthorized")


def test_logs_carry_key_ids_but_no_secrets_or_names(
    api: httpx.Client, issue: IssueKey, caplog: pytest.LogCaptureFixture
) -> None:
    admin = issue(["admin"])
    with caplog.at_level(logging.DEBUG):
        api.post(
            "/v1/api-keys",
            headers=admin.headers,
            json={"name": "Jane Doe jane@example.com", "scopes": ["scores:write"]},
        )
        api.get("/v1/whoami", headers=admin.headers)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"key={admin.key_id}" in logged
    secret = admin.token.rsplit("_", 1)[1]
    assert secret not in logged and "Jane" not in logged and "example.com" not in logged


def all_keys(api: httpx.Client, headers: dict[str, str], limit: int = 20) -> list[dict]:
    """Every key, read page by page as a client would."""
    seen: list[dict] = []
    cursor: dict[str, str] = {}
    while True:
        page = api.get("/v1/api-keys", params={"limit": limit, **cursor}, headers=headers)
        assert page.status_code == 200, page.text
        body = page.json()
        assert body["object"] == "list" and len(body["data"]) <= limit
        seen += body["data"]
        if not body["has_more"]:
            return seen
        cursor = {"starting_after": body["data"][-1]["key_id"]}


def test_keys_are_listed_in_pages_like_every_list(api: httpx.Client, issue: IssueKey) -> None:
    admin = issue(["admin"])
    made = []
    for name in ("one", "two", "three"):
        created = api.post(
            "/v1/api-keys", headers=admin.headers, json={"name": name, "scopes": ["review:read"]}
        )
        assert created.status_code == 201
        made.append(created.json()["key_id"])
    seen = [key["key_id"] for key in all_keys(api, admin.headers, limit=2)]
    assert len(seen) == len(set(seen)), "no key on two pages"
    assert set(made) <= set(seen)
    assert [key for key in seen if key in made] == made, "oldest first"
    unknown = api.get(
        "/v1/api-keys", params={"starting_after": "000000000000"}, headers=admin.headers
    )
    assert assert_problem(unknown, 422, "invalid-input")["errors"][0]["loc"] == [
        "query",
        "starting_after",
    ]
