"""The generated Stripe Account objects: valid against Stripe's spec, realistic, label-free."""

from __future__ import annotations

import json
from collections import Counter

from training.synth.mcc import CATEGORY_BY_MCC, RiskGroup
from training.synth.plan import Archetype


def test_validator_accepts_stripe_fixture_and_rejects_broken_accounts(stripe_validators):
    fixture = stripe_validators.fixtures["account"]
    assert stripe_validators.response_errors("account", fixture) == []
    broken = dict(fixture, type="platform", controller={"type": "nobody"})
    assert len(stripe_validators.response_errors("account", broken)) >= 2


def test_every_account_is_valid_against_the_spec(small_dataset, stripe_validators):
    for account in small_dataset.accounts:
        errors = stripe_validators.response_errors("account", account)
        assert errors == [], (account["id"], errors[:3])


def test_controller_matches_account_type(small_dataset):
    seen = Counter()
    for account in small_dataset.accounts:
        controller = account["controller"]
        seen[account["type"]] += 1
        if account["type"] == "custom":
            assert controller["type"] == "application"
            assert controller["losses"]["payments"] == "application"
            assert controller["requirement_collection"] == "application"
            assert controller["stripe_dashboard"]["type"] == "none"
        elif account["type"] == "express":
            assert controller["losses"]["payments"] == "application"
            assert controller["stripe_dashboard"]["type"] == "express"
        else:
            assert account["type"] == "standard"
            assert controller["type"] == "account"
            if controller.get("is_controller"):
                assert controller["losses"]["payments"] == "stripe"
                assert controller["stripe_dashboard"]["type"] == "full"
        # Stripe returns external accounts only to the controlling platform.
        assert ("external_accounts" in account) == bool(controller.get("is_controller"))
    assert set(seen) == {"custom", "express", "standard"}


def test_mix_of_countries_types_and_categories(small_dataset):
    accounts = small_dataset.accounts
    countries = Counter(a["country"] for a in accounts)
    assert countries.most_common(1)[0][0] == "US"
    assert len(countries) >= 9
    assert {"JP", "GB", "DE"} <= set(countries)
    assert all(a["default_currency"] == "jpy" for a in accounts if a["country"] == "JP")
    business_types = Counter(a["business_type"] for a in accounts)
    assert {"individual", "company", "non_profit"} <= set(business_types)
    mccs = {a["business_profile"]["mcc"] for a in accounts}
    assert all(len(m) == 4 and m.isdigit() for m in mccs)
    assert {CATEGORY_BY_MCC[m].risk for m in mccs} == set(RiskGroup)
    banks = [ba for a in accounts for ba in a.get("external_accounts", {}).get("data", [])]
    assert {b["status"] for b in banks} >= {"new", "validated", "verified"}
    assert any(
        b["country"] != a["country"]
        for a in accounts
        for b in a.get("external_accounts", {}).get("data", [])
    )


def test_requirements_carry_onboarding_states_and_real_error_codes(small_dataset):
    requirements = [a["requirements"] for a in small_dataset.accounts]
    assert any(r["currently_due"] for r in requirements)
    assert any(r["past_due"] for r in requirements)
    assert any(r["pending_verification"] for r in requirements)
    codes = {e["code"] for r in requirements for e in r["errors"]}
    assert codes and all(c.startswith(("verification_", "invalid_")) for c in codes)
    for r in requirements:
        assert set(r["past_due"]) <= set(r["currently_due"]) <= set(r["eventually_due"])
        assert {e["requirement"] for e in r["errors"]} <= set(r["currently_due"])


def test_accounts_carry_no_post_outcome_state(small_dataset):
    closed = set(small_dataset.labels.loc[small_dataset.labels.label == 1, "account"])
    assert closed
    words = {str(a) for a in Archetype} | {"fraud", "risk", "label", "closed", "rejected"}
    for account in small_dataset.accounts:
        for requirements in (account["requirements"], account["future_requirements"]):
            assert not str(requirements["disabled_reason"] or "").startswith("rejected")
        assert set(account["metadata"]) == {"platform_user_id", "signup_source"}
        metadata = json.dumps(account["metadata"]).lower()
        assert not any(word in metadata for word in words)


def test_closed_and_open_accounts_share_one_shape(small_dataset):
    closed = set(small_dataset.labels.loc[small_dataset.labels.label == 1, "account"])
    shapes = {
        account["id"] in closed: sorted(account)
        for account in small_dataset.accounts
        if account["business_type"] == "company" and "external_accounts" in account
    }
    assert shapes[True] == shapes[False]
