"""The inline Stripe Account of POST /v1/scores is checked against Stripe's types before
anything is scored or stored."""

from __future__ import annotations

import pytest
from scoring_support import issue_token, stripe_account

from service.db.database import Database
from service.db.repositories.accounts import get_account

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    ("override", "loc"),
    [
        ({"country": 5}, ["country"]),
        ({"capabilities": []}, ["capabilities"]),
        ({"business_profile": "x"}, ["business_profile"]),
        ({"business_profile": {"mcc": 5734}}, ["business_profile", "mcc"]),
        ({"created": "yesterday"}, ["created"]),
        ({"created": 1e30}, ["created"]),
        ({"charges_enabled": "yes"}, ["charges_enabled"]),
        ({"object": "customer"}, ["object"]),
        ({"controller": {"is_controller": 1}}, ["controller", "is_controller"]),
        ({"requirements": {"currently_due": "individual.dob"}}, ["requirements", "currently_due"]),
        (
            {"settings": {"payouts": {"schedule": {"delay_days": "7"}}}},
            ["settings", "payouts", "schedule", "delay_days"],
        ),
    ],
)
def test_a_field_of_the_wrong_type_is_refused_with_its_path(
    client, headers, override: dict, loc: list
):
    account = stripe_account(**override)
    response = client.post("/v1/scores", json={"account": account}, headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert [error["loc"] for error in response.json()["errors"]] == [["body", "account", *loc]]
    # Nothing was stored: the account is still unknown.
    by_id = client.post("/v1/scores", json={"account_id": account["id"]}, headers=headers)
    assert by_id.status_code == 404


@pytest.mark.parametrize(
    "raw",
    [
        '{"account": {"id": "acct_nan0000001", "balance": NaN}}',
        '{"account": {"id": "acct_inf0000001", "x": [{"y": -Infinity}]}}',
        '{"account": {"id": "acct_sur0000001", "email": "\\ud800@example.com"}}',
    ],
)
def test_json_a_database_cannot_store_is_refused(client, headers, raw: str):
    response = client.post(
        "/v1/scores",
        content=raw.encode(),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["loc"] == ["body", "account"]
    assert "NaN, Infinity or an unpaired surrogate" in error["msg"]


def test_fields_the_service_does_not_read_are_stored_as_sent(client, scoring_database: Database):
    headers = issue_token(scoring_database, ["scores:write", "accounts:read"])
    account = stripe_account(
        business_profile={"mcc": "5734", "name": "Ünïcode Ltd 😀", "support_address": None},
        tos_acceptance={"date": 1_750_000_000, "ip": "192.0.2.1"},
        external_accounts={"object": "list", "data": [{"object": "card", "last4": "4242"}]},
    )
    response = client.post("/v1/scores", json={"account": account}, headers=headers)
    assert response.status_code == 201, response.text
    with scoring_database.session() as session:
        stored = get_account(session=session, account_id=account["id"])
        assert stored is not None
        assert stored.stripe_state == account
