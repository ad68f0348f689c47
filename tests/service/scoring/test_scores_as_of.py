"""`as_of` on POST /v1/scores: a past instant makes a retrospective score, recorded and never
enforced; an instant the service cannot know is refused with its field path."""

from __future__ import annotations

import datetime as dt

import pytest
from scoring_support import issue_token, stripe_account

from service.db.database import Database
from service.db.repositories.accounts import get_account
from service.db.repositories.decisions import RETROSPECTIVE, latest_decision_ids

PROBLEM = "application/problem+json"


def _at(moment: dt.datetime) -> str:
    return moment.isoformat()


def test_a_retrospective_score_is_recorded_but_never_enforced_nor_latest(
    client, scoring_database: Database
):
    headers = issue_token(scoring_database, ["scores:write", "decisions:read", "accounts:read"])
    account = stripe_account()
    current = client.post("/v1/scores", json={"account": account}, headers=headers)
    assert current.status_code == 201, current.text
    assert any(action["status"] == "planned" for action in current.json()["actions"])

    a_month_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    looking_back = client.post(
        "/v1/scores",
        json={"account_id": account["id"], "as_of": _at(a_month_ago)},
        headers=headers,
    )
    assert looking_back.status_code == 201, looking_back.text
    body = looking_back.json()
    assert body["actions"], "the policy's plan is still shown"
    for action in body["actions"]:
        assert action["status"] == "noop"
        assert action["reason"].startswith("retrospective score as of ")

    stored = client.get(f"/v1/decisions/{body['decision_id']}", headers=headers).json()
    assert stored["triggered_by"] == RETROSPECTIVE
    assert all(action["status"] == "skipped" for action in stored["actions"])
    assert all(action["attempts"] == 0 for action in stored["actions"])

    standing = client.get(f"/v1/accounts/{account['id']}", headers=headers).json()
    assert standing["latest_decision"]["id"] == current.json()["decision_id"]
    history = client.get(f"/v1/accounts/{account['id']}/decisions", headers=headers).json()
    assert [decision["id"] for decision in history["data"]] == [
        body["decision_id"],
        current.json()["decision_id"],
    ]
    # The dispatcher's supersession check still sees the current decision as the newest.
    with scoring_database.session() as session:
        newest = latest_decision_ids(session=session, account_ids=[account["id"]])
    assert newest == {account["id"]: current.json()["decision_id"]}


def test_an_old_snapshot_scored_inline_never_replaces_the_current_state(
    client, scoring_database: Database
):
    # A platform backfilling history sends old Account snapshots with their as_of; the
    # account's current state (and every later score by id) must stay as it is.
    headers = issue_token(scoring_database, ["scores:write", "decisions:read"])
    account = stripe_account()
    current = client.post("/v1/scores", json={"account": account}, headers=headers)
    assert current.status_code == 201, current.text
    back_then = {
        **account,
        "requirements": {"currently_due": ["external_account", "tos_acceptance.date"]},
        "payouts_enabled": False,
    }
    a_month_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    looking_back = client.post(
        "/v1/scores", json={"account": back_then, "as_of": _at(a_month_ago)}, headers=headers
    )
    assert looking_back.status_code == 201, looking_back.text

    def features(decision_id: str) -> dict:
        return client.get(f"/v1/decisions/{decision_id}", headers=headers).json()["features"]

    assert features(looking_back.json()["decision_id"])["payouts_enabled"] == 0.0
    by_id = client.post("/v1/scores", json={"account_id": account["id"]}, headers=headers)
    assert by_id.status_code == 201, by_id.text
    assert features(by_id.json()["decision_id"]) == features(current.json()["decision_id"])
    with scoring_database.session() as session:
        stored = get_account(session=session, account_id=account["id"])
        assert stored is not None and stored.stripe_state == account


def test_an_old_snapshot_of_an_unknown_account_is_kept_until_a_newer_state_arrives(
    client, scoring_database: Database
):
    headers = issue_token(scoring_database, ["scores:write"])
    account = stripe_account()
    a_month_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    looking_back = client.post(
        "/v1/scores", json={"account": account, "as_of": _at(a_month_ago)}, headers=headers
    )
    assert looking_back.status_code == 201, looking_back.text
    with scoring_database.session() as session:
        stored = get_account(session=session, account_id=account["id"])
        assert stored is not None and stored.stripe_state == account
        assert stored.stripe_state_at is not None
        assert abs(stored.stripe_state_at - a_month_ago) < dt.timedelta(seconds=1)


def test_an_as_of_within_the_clock_skew_is_a_current_score(client, headers):
    a_minute_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    response = client.post(
        "/v1/scores",
        json={"account": stripe_account(), "as_of": _at(a_minute_ago)},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    stored = client.get(f"/v1/decisions/{response.json()['decision_id']}", headers=headers)
    assert stored.json()["triggered_by"] == "api"
    assert any(action["status"] == "planned" for action in response.json()["actions"])


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("in ten minutes", "as_of is in the future"),
        ("9999-12-31T23:59:59-05:00", "as_of is in the future"),
        ("0001-01-01T00:00:00+05:00", "as_of is before 1970-01-01"),
        ("1969-12-31T23:59:59+00:00", "as_of is before 1970-01-01"),
    ],
)
def test_an_instant_the_service_cannot_know_is_refused_with_its_field(
    client, headers, as_of: str, message: str
):
    if as_of == "in ten minutes":
        as_of = _at(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10))
    response = client.post(
        "/v1/scores", json={"account": stripe_account(), "as_of": as_of}, headers=headers
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    [error] = response.json()["errors"]
    assert error["loc"] == ["body", "as_of"]
    assert message in error["msg"]


def test_a_retrospective_score_before_the_account_existed_is_refused(client, headers):
    created = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    account = stripe_account(created=int(created.timestamp()))
    response = client.post(
        "/v1/scores",
        json={"account": account, "as_of": _at(created - dt.timedelta(days=1))},
        headers=headers,
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["errors"][0]["loc"] == ["body", "as_of"]
    assert "before the account was created (2025-06-01T00:00:00+00:00)" in problem["detail"]
    # Refused before anything was written: the account is still unknown to the service.
    unknown = client.post("/v1/scores", json={"account_id": account["id"]}, headers=headers)
    assert unknown.status_code == 404
