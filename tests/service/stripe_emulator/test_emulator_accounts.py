"""Accounts over real HTTP with the official SDK: create, read, update, reject, platform rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import stripe

from service.stripe_emulator.validation import SpecValidators

KINDS = ("custom", "express", "standard")
WEEKLY = {"interval": "weekly", "weekly_anchor": "friday", "delay_days": 7}


def _raw(obj: stripe.StripeObject) -> dict[str, Any]:
    return obj.to_dict()


@pytest.mark.parametrize("kind", KINDS)
def test_create_retrieve_update_each_type(
    client: stripe.StripeClient, validators: SpecValidators, kind: str
) -> None:
    created = client.v1.accounts.create(
        {"type": kind, "country": "GB", "email": "owner@example.com", "metadata": {"ref": "p-1"}}
    )
    assert created.id.startswith("acct_")
    assert (created.type, created.country, created.default_currency) == (kind, "GB", "gbp")
    assert created.controller.is_controller is True
    fetched = client.v1.accounts.retrieve(created.id)
    assert _raw(fetched) == _raw(created)
    updated = client.v1.accounts.update(
        created.id,
        {
            "business_profile": {"mcc": "5734", "url": "https://example.com"},
            "metadata": {"ref": ""},
        },
    )
    assert updated.business_profile.mcc == "5734"
    assert updated.metadata.to_dict() == {}
    assert validators.response_errors("account", _raw(updated)) == []


def test_controller_properties_follow_the_type(client: stripe.StripeClient) -> None:
    losses = {
        kind: client.v1.accounts.create({"type": kind}).controller.losses.payments for kind in KINDS
    }
    assert losses == {"custom": "application", "express": "application", "standard": "stripe"}
    account = client.v1.accounts.create(
        {
            "controller": {
                "requirement_collection": "application",
                "losses": {"payments": "application"},
                "fees": {"payer": "application"},
                "stripe_dashboard": {"type": "none"},
            }
        }
    )
    assert (account.type, account.controller.requirement_collection) == ("none", "application")
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.accounts.create({"type": "custom", "controller": {"fees": {"payer": "account"}}})


@pytest.mark.parametrize("kind", ["custom", "express"])
def test_payout_schedule_update_for_a_controlled_account(
    client: stripe.StripeClient, kind: str
) -> None:
    account = client.v1.accounts.create({"type": kind, "country": "US"})
    updated = client.v1.accounts.update(account.id, {"settings": {"payouts": {"schedule": WEEKLY}}})
    assert updated.settings.payouts.schedule.to_dict() == WEEKLY
    minimum = client.v1.accounts.update(
        account.id,
        {"settings": {"payouts": {"schedule": {"interval": "daily", "delay_days": "minimum"}}}},
    )
    assert minimum.settings.payouts.schedule.to_dict() == {"interval": "daily", "delay_days": 2}


def test_payout_schedule_refused_without_platform_controls(
    client: stripe.StripeClient, seed: Callable[..., str], make_account: Callable[..., Any]
) -> None:
    account_id = seed(make_account("acct_1OauthStandard01"))
    with pytest.raises(stripe.PermissionError) as caught:
        client.v1.accounts.update(account_id, {"settings": {"payouts": {"schedule": WEEKLY}}})
    assert caught.value.http_status == 403
    assert caught.value.error.param == "settings[payouts][schedule]"
    unchanged = client.v1.accounts.retrieve(account_id)
    assert unchanged.settings.payouts.schedule.interval == "daily"
    assert client.v1.accounts.update(account_id, {"metadata": {"k": "v"}}).metadata["k"] == "v"


@pytest.mark.parametrize("kind", ["custom", "express"])
def test_reject_with_an_endive_reason(client: stripe.StripeClient, kind: str) -> None:
    account = client.v1.accounts.create(
        {"type": kind, "capabilities": {"transfers": {"requested": True}}}
    )
    rejected = client.v1.accounts.reject(account.id, {"reason": "fraud_other"})
    assert rejected.requirements.disabled_reason == "rejected.platform_fraud"
    assert (rejected.charges_enabled, rejected.payouts_enabled) == (False, False)
    assert rejected.capabilities.to_dict() == {"transfers": "inactive"}
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.accounts.reject(account.id, {"reason": "other"})
    restored = client.v1.accounts.unreject(account.id)
    assert restored.requirements.disabled_reason == account.requirements.disabled_reason


def test_reject_honours_payouts_action_none(
    client: stripe.StripeClient, seed: Callable[..., str], make_account: Callable[..., Any]
) -> None:
    controller = {
        "type": "application",
        "is_controller": True,
        "losses": {"payments": "application"},
    }
    account_id = seed(
        make_account(
            "acct_1ExpressEnabled1",
            type="express",
            controller=controller,
            charges_enabled=True,
            payouts_enabled=True,
        )
    )
    params = {"reason": "terms_of_service", "payouts_action": "none"}
    rejected = client.v1.accounts.reject(account_id, params)  # type: ignore[arg-type]
    assert rejected.requirements.disabled_reason == "rejected.platform_terms_of_service"
    assert (rejected.charges_enabled, rejected.payouts_enabled) == (False, True)


def test_reject_refuses_the_retired_fraud_reason(client: stripe.StripeClient) -> None:
    account = client.v1.accounts.create({"type": "custom"})
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.accounts.reject(account.id, {"reason": "fraud"})
    assert (caught.value.http_status, caught.value.error.param) == (400, "reason")
    assert client.v1.accounts.retrieve(account.id).requirements.disabled_reason != (
        "rejected.platform_fraud"
    )


def test_standard_accounts_can_never_be_rejected(
    client: stripe.StripeClient, seed: Callable[..., str], make_account: Callable[..., Any]
) -> None:
    platform_standard = client.v1.accounts.create({"type": "standard"})
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.accounts.reject(platform_standard.id, {"reason": "fraud_other"})
    assert "losses.payments" in str(caught.value.user_message)
    oauth = seed(make_account("acct_1OauthStandard02"))
    with pytest.raises(stripe.PermissionError):
        client.v1.accounts.reject(oauth, {"reason": "fraud_other"})


def test_unknown_parameters_over_http(client: stripe.StripeClient) -> None:
    account = client.v1.accounts.create({"type": "custom"})
    cases = {"colour": "colour", "settings": "settings[payouts][schedule][hourly]"}
    bad = {
        "colour": {"colour": "red"},
        "settings": {"settings": {"payouts": {"schedule": {"hourly": True}}}},
    }
    for name, params in bad.items():
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.accounts.update(account.id, params)  # type: ignore[arg-type]
        assert caught.value.error.param == cases[name]
        assert caught.value.error.code == "parameter_unknown"


def test_unknown_account_is_resource_missing(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.accounts.retrieve("acct_1DoesNotExist00")
    error = caught.value.error
    assert (caught.value.http_status, error.code, error.param) == (
        404,
        "resource_missing",
        "account",
    )


@pytest.mark.parametrize("key", ["sk_live_abcdefghijkl", "pk_test_abc", "sk_test_"])
def test_only_test_secret_keys_are_accepted(emulator: Any, key: str) -> None:
    client = stripe.StripeClient(key, base_addresses={"api": emulator.base_url})
    with pytest.raises(stripe.AuthenticationError) as caught:
        client.v1.accounts.list()
    assert caught.value.http_status == 401
    assert key not in str(caught.value.user_message)  # a key is never echoed whole


def test_list_accounts_pages(client: stripe.StripeClient) -> None:
    ids = {client.v1.accounts.create({"type": "custom"}).id for _ in range(3)}
    first = client.v1.accounts.list({"limit": 2})
    assert first.has_more is True and len(first.data) == 2
    rest = client.v1.accounts.list({"limit": 2, "starting_after": first.data[-1].id})
    assert {a.id for a in [*first.data, *rest.data]} == ids


def test_responses_carry_request_ids(control: httpx.Client) -> None:
    response = control.post(
        "/v1/accounts", data={"type": "custom"}, headers={"Authorization": "Bearer sk_test_x"}
    )
    assert response.status_code == 200
    assert response.headers["Request-Id"].startswith("req_")
    assert response.headers["Stripe-Version"] == "2026-10-28.endive"
    unknown = control.get("/v1/charges", headers={"Authorization": "Bearer sk_test_x"})
    assert unknown.status_code == 404
    assert "Unrecognized request URL" in unknown.json()["error"]["message"]


def test_a_broad_update_yields_a_spec_valid_account(
    client: stripe.StripeClient, validators: SpecValidators
) -> None:
    account = client.v1.accounts.create({"type": "custom", "country": "US"})
    address = {"line1": "1 Main St", "city": "Austin", "state": "TX", "postal_code": "78701",
               "country": "US"}  # fmt: skip
    params: dict[str, Any] = {
        "business_type": "company",
        "business_profile": {
            "mcc": "5734",
            "name": "Widgets",
            "product_description": "Handmade widgets",
            "support_address": address,
            "annual_revenue": {
                "amount": 120000,
                "currency": "usd",
                "fiscal_year_end": "2025-12-31",
            },
            "monthly_estimated_revenue": {"amount": 10000, "currency": "usd"},
        },
        "company": {
            "name": "Widgets LLC",
            "tax_id": "000000000",
            "address": address,
            "structure": "single_member_llc",
            "owners_provided": True,
            "registration_date": {"day": 1, "month": 2, "year": 2020},
            "verification": {"document": {"front": "file_identity_document_success"}},
        },
        "individual": {
            "first_name": "Jane",
            "last_name": "Doe",
            "dob": {"day": 1, "month": 1, "year": 1990},
            "ssn_last_4": "0000",
            "metadata": {"src": "onboarding"},
        },
        "tos_acceptance": {"date": 1_700_000_000, "ip": "203.0.113.7"},
        "settings": {
            "branding": {"primary_color": "#123456"},
            "card_payments": {"statement_descriptor_prefix": "WIDG"},
            "payouts": {
                "statement_descriptor": "WIDGETS",
                "schedule": {"interval": "monthly", "monthly_anchor": 15, "delay_days": 5},
            },
        },
        "external_account": "btok_us_verified",
        "groups": {"payments_pricing": ""},
    }
    updated = client.v1.accounts.update(account.id, params)
    raw = updated.to_dict()
    assert validators.response_errors("account", raw) == []
    assert raw["company"]["tax_id_provided"] is True and "tax_id" not in raw["company"]
    assert raw["individual"]["ssn_last_4_provided"] is True
    assert raw["individual"]["metadata"] == {"src": "onboarding"}
    assert raw["settings"]["payouts"]["schedule"] == {
        "interval": "monthly",
        "monthly_anchor": 15,
        "delay_days": 5,
    }
    banks = raw["external_accounts"]["data"]
    assert [(b["object"], b["currency"], b["default_for_currency"]) for b in banks] == [
        ("bank_account", "usd", True)
    ]
    again = client.v1.accounts.update(
        account.id,
        {"external_account": {"object": "bank_account", "country": "US", "currency": "usd",
                              "account_number": "000999999991", "routing_number": "110000000"}},
    )  # fmt: skip
    assert [b.last4 for b in again.external_accounts.data] == ["9991"]
