"""Account-profile features: what each Stripe field becomes, and tolerance of missing fields."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from features import FEATURE_NAMES, compute
from features.account import ACCOUNT_FEATURES, account_feature_rows, account_features
from features.account.domains import email_domain_class, email_matches_website
from features.account.requirements import disabled_reason_level, error_group, requirement_kind
from features.mcc import mcc_risk_group

AS_OF = 1_735_689_600
FullAccount = Callable[[], dict[str, Any]]


def test_full_account_values(full_account: FullAccount) -> None:
    account = full_account()
    got = account_features(account, AS_OF)
    assert got["business_type_company"] == 1.0 and got["business_type_individual"] == 0.0
    assert got["account_type_custom"] == 1.0
    assert got["controller_is_controller"] == 1.0 and got["controller_losses_application"] == 1.0
    assert (got["capabilities_active_count"], got["capabilities_pending_count"]) == (1.0, 1.0)
    assert got["capability_transfers_active"] == 0.0
    assert got["account_age_days"] == 30.0
    assert got["mcc_risk_group"] == 3.0
    assert got["requirements_past_due_count"] == 2.0
    assert got["requirements_due_documents"] == 1.0 and got["requirements_due_tax_id"] == 1.0
    assert got["requirements_deadline_days"] == 10.0
    assert got["disabled_reason_level"] == 2.0 and got["disabled_under_review"] == 1.0
    # requirement errors plus the company and individual verification details codes
    assert got["verification_errors_document_fraud"] == 2.0
    assert got["verification_errors_mismatch"] == 1.0
    assert got["verification_errors_tax_id"] == 1.0
    assert got["verification_errors_website"] == 1.0
    assert got["verification_errors_other"] == 1.0
    assert got["individual_verification_status"] == 1.0
    assert got["email_domain_class"] == 0.0 and got["email_matches_website"] == 1.0
    assert got["external_account_count"] == 2.0 and got["external_account_is_card"] == 1.0
    assert got["external_account_country_mismatch"] == 1.0  # GB bank for a US business
    assert got["external_account_status_risk"] == 1.0 and got["bank_fingerprint_present"] == 1.0
    assert got["product_description_length"] == len("Handmade ceramics shipped worldwide")


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    drop=st.sets(st.sampled_from(["requirements", "created", "capabilities", "business_profile"])),
    days=st.lists(st.integers(-400, 400), min_size=1, max_size=12),
)
def test_rows_of_a_recurring_account_equal_one_by_one(
    full_account: FullAccount, drop: set[str], days: list[int]
) -> None:
    """Training's many snapshots of one account: its undated features are computed once, and
    each row still equals `account_features` at that row's instant."""
    account, other = full_account(), full_account()
    for key in drop:
        del account[key]
    accounts = [account if i % 3 else other for i in range(len(days))]
    instants = np.array([AS_OF + day * 86_400 for day in days], dtype=np.int64)
    rows = account_feature_rows(accounts, instants)
    expected = [account_features(a, int(t)) for a, t in zip(accounts, instants, strict=True)]
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        assert row.keys() == want.keys() == {spec.name for spec in ACCOUNT_FEATURES}
        assert all(_same(row[name], want[name]) for name in want)
    if "requirements" not in drop and len(set(days)) > 1:
        assert len({row["requirements_deadline_days"] for row in rows}) > 1  # not cached


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def test_absent_blocks_are_nan_not_zero(full_account: FullAccount) -> None:
    account = full_account()
    for key in ("requirements", "external_accounts", "controller", "business_profile", "type"):
        del account[key]
    got = account_features(account, AS_OF)
    for name in (
        "requirements_past_due_count",
        "disabled_reason_level",
        "external_account_count",
        "controller_is_controller",
        "business_url_present",
        "account_type_custom",
    ):
        assert math.isnan(got[name]), name
    assert got["business_type_company"] == 1.0  # what is still there is still read


@pytest.mark.parametrize(
    ("reason", "level"),
    [
        (None, 0.0),
        ("requirements.past_due", 1.0),
        ("under_review", 2.0),
        ("listed", 2.0),
        ("rejected.fraud", 3.0),
        # the platform's own decisions are outcomes, not evidence: never read back
        ("rejected.platform_fraud", 0.0),
        ("platform_paused", 0.0),
    ],
)
def test_disabled_reason_levels(reason: str | None, level: float) -> None:
    assert disabled_reason_level(reason) == level


@pytest.mark.parametrize(
    ("field", "kind"),
    [
        ("individual.verification.document", "documents"),
        ("person_1AbC.verification.additional_document", "documents"),
        ("company.tax_id", "tax_id"),
        ("individual.dob.day", "identity"),
        ("representative.first_name", "identity"),
        ("company.address.line1", "company"),
        ("business_profile.url", "business_profile"),
        ("external_account", "external_account"),
        ("tos_acceptance.date", "tos"),
    ],
)
def test_requirement_kinds(field: str, kind: str) -> None:
    assert requirement_kind(field) == kind


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("verification_document_fraudulent", "document_fraud"),
        ("document_manipulated", "document_fraud"),
        ("verification_document_name_mismatch", "mismatch"),
        ("verification_failed_keyed_match", "mismatch"),
        ("verification_failed_tax_id_match", "tax_id"),
        ("invalid_tax_id_format", "tax_id"),
        ("invalid_url_denylisted", "website"),
        ("invalid_product_description_url_match", "website"),
        ("information_missing", "other"),
    ],
)
def test_error_groups(code: str, group: str) -> None:
    assert error_group(code) == group


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("a@acme-tools.com", 0.0),
        ("someone@gmail.com", 1.0),
        ("x@Mailinator.com", 2.0),
        (None, math.nan),
        ("not-an-email", math.nan),
    ],
)
def test_email_domain_class(email: str | None, expected: float) -> None:
    got = email_domain_class(email)
    assert got == expected or (math.isnan(got) and math.isnan(expected))


def test_email_matches_website_host_or_subdomain() -> None:
    assert email_matches_website("a@shop.io", "https://www.shop.io/x") == 1.0
    assert email_matches_website("a@shop.io", "eu.shop.io") == 1.0
    assert email_matches_website("a@gmail.com", "https://shop.io") == 0.0
    assert math.isnan(email_matches_website("a@shop.io", None))


@pytest.mark.parametrize(
    ("mcc", "group"),
    [("5411", 0.0), ("5732", 1.0), ("5122", 2.0), ("3012", 2.0), ("7995", 3.0), ("12a", 1.0)],
)
def test_mcc_groups(mcc: str, group: float) -> None:
    assert mcc_risk_group(mcc) == group
    assert math.isnan(mcc_risk_group(None))


def _paths(obj: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if not isinstance(obj, dict):
        return []
    out = []
    for key, value in obj.items():
        out.append((*prefix, key))
        out.extend(_paths(value, (*prefix, key)))
    return out


def _without(account: dict[str, Any], paths: list[tuple[str, ...]], nulls: bool) -> None:
    for path in paths:
        parent = account
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and path[-1] in parent and path != ("id",):
            if nulls:
                parent[path[-1]] = None
            else:
                del parent[path[-1]]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), nulls=st.booleans())
def test_missing_or_null_fields_are_tolerated(
    full_account: FullAccount, data: st.DataObject, nulls: bool
) -> None:
    account = full_account()
    paths = _paths(account)
    dropped = data.draw(st.lists(st.sampled_from(paths), max_size=len(paths) // 2))
    _without(account, dropped, nulls)
    got = account_features(account, AS_OF)
    assert set(got) == {spec.name for spec in ACCOUNT_FEATURES}
    assert all(isinstance(value, float) and not math.isinf(value) for value in got.values())
    vector = compute(account, (), None, AS_OF)
    assert vector.names == FEATURE_NAMES
    assert not np.isinf(vector.values).any()


def test_account_without_id_is_rejected(full_account: FullAccount) -> None:
    account = full_account()
    del account["id"]
    with pytest.raises(ValueError, match="no id"):
        compute(account, (), None, AS_OF)
