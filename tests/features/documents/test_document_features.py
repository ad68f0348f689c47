"""The document feature vector: its shape, its NaNs, and the direction of each signal."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from features.documents import DOCUMENT_FEATURES, DocumentEvidence, document_features
from features.spec import FeatureSpec

AS_OF = 1_750_000_000
DAY = 86_400
ACCOUNT = {
    "id": "acct_1",
    "object": "account",
    "country": "GB",
    "created": AS_OF - 200 * DAY,
    "default_currency": "gbp",
    "business_profile": {"name": "Acme Shop"},
    "company": {
        "name": "Acme Trading Ltd",
        "address": {"line1": "12 High Street", "city": "London", "postal_code": "SW1A 1AA"},
        "registration_date": {"day": 1, "month": 1, "year": 2020},
    },
}
CERTIFICATE = DocumentEvidence(
    sha256="a" * 64,
    size_bytes=1000,
    pages=1,
    kind="registration_certificate",
    legal_name="ACME TRADING LIMITED",
    registration_number="12345678",
    issued_on=AS_OF - 300 * DAY,
    incorporated_on=1577836800,
    address="12 High St, London SW1A 1AA",
    country="GB",
    producer_class="generator",
    created_at=AS_OF - 300 * DAY,
    modified_at=AS_OF - 300 * DAY,
    trailer_id_mismatch=False,
    text_chars=500,
)
STATEMENT = DocumentEvidence(
    sha256="b" * 64,
    size_bytes=2000,
    pages=2,
    kind="bank_statement",
    holder="Acme Trading Ltd",
    issued_on=AS_OF - 20 * DAY,
    address="12 High Street, London SW1A 1AA",
    country="GB",
    currency="gbp",
    opening_balance=1000.0,
    closing_balance=1500.0,
    total_credits=700.0,
    total_debits=200.0,
    producer_class="generator",
    created_at=AS_OF - 20 * DAY,
    modified_at=AS_OF - 20 * DAY,
    text_chars=900,
)
BROKEN = DocumentEvidence(sha256="c" * 64, size_bytes=10, error="corrupt")


def features(*docs: DocumentEvidence, account: dict | None = None) -> dict[str, float]:
    return document_features(account or ACCOUNT, list(docs), AS_OF)


def test_the_vector_follows_the_declared_features_in_order() -> None:
    values = features(CERTIFICATE, STATEMENT, BROKEN)
    assert list(values) == [spec.name for spec in DOCUMENT_FEATURES]
    assert all(isinstance(value, float) for value in values.values())
    assert all(isinstance(spec, FeatureSpec) for spec in DOCUMENT_FEATURES)
    assert {spec.group for spec in DOCUMENT_FEATURES} == {"documents"}
    assert len({spec.name for spec in DOCUMENT_FEATURES}) == len(DOCUMENT_FEATURES)
    assert all(spec.monotone in (-1, 0, 1) and spec.description for spec in DOCUMENT_FEATURES)


def test_without_documents_counts_are_zero_and_comparisons_unobserved() -> None:
    values = features()
    assert values["doc_count"] == 0.0
    assert values["doc_has_bank_statement"] == 0.0
    assert values["doc_error_count"] == 0.0
    assert math.isnan(values["doc_name_match_min"])
    assert math.isnan(values["doc_editor_share"])
    assert math.isnan(values["doc_touchup_any"])


def test_consistent_documents_agree_with_the_account() -> None:
    values = features(CERTIFICATE, STATEMENT, BROKEN)
    assert values["doc_count"] == 3.0
    assert values["doc_has_registration_certificate"] == 1.0
    assert values["doc_has_bank_statement"] == 1.0
    assert values["doc_error_corrupt"] == 1.0
    assert values["doc_error_count"] == 1.0
    assert values["doc_name_match_min"] == 1.0
    assert values["doc_address_match_min"] >= 0.95
    assert values["doc_postcode_match_share"] == 1.0
    assert values["doc_country_mismatch_count"] == 0.0
    assert values["doc_currency_mismatch"] == 0.0
    assert values["doc_issued_in_future_count"] == 0.0
    assert values["doc_registration_recent"] == 0.0
    assert values["doc_incorporation_date_mismatch"] == 0.0
    assert values["doc_statement_balance_gap"] == 0.0
    assert values["doc_pages_total"] == 3.0
    assert math.isnan(values["doc_registration_number_match"])  # the account has no number


def monotone(name: str) -> int:
    return next(spec.monotone for spec in DOCUMENT_FEATURES if spec.name == name)


@pytest.mark.parametrize(
    ("name", "changed"),
    [
        ("doc_name_match_min", replace(CERTIFICATE, legal_name="Northwind Logistics Ltd")),
        ("doc_address_match_min", replace(CERTIFICATE, address="9 Quay Road, Leeds LS1 4AP")),
        ("doc_country_mismatch_count", replace(CERTIFICATE, country="FR")),
        ("doc_issued_in_future_count", replace(CERTIFICATE, issued_on=AS_OF + 40 * DAY)),
        ("doc_registration_recent", replace(CERTIFICATE, incorporated_on=AS_OF - 190 * DAY)),
        ("doc_incorporation_date_mismatch", replace(CERTIFICATE, incorporated_on=AS_OF)),
        ("doc_editor_share", replace(CERTIFICATE, producer_class="editor")),
        ("doc_incremental_updates_max", replace(CERTIFICATE, incremental_updates=2)),
        ("doc_trailer_id_mismatch_any", replace(CERTIFICATE, trailer_id_mismatch=True)),
        ("doc_touchup_any", replace(CERTIFICATE, touchup_text_edit=True)),
        ("doc_mixed_font_lines_max", replace(CERTIFICATE, mixed_font_lines=3)),
        ("doc_scan_overlay_any", replace(CERTIFICATE, scan_overlay_pages=1)),
        ("doc_modified_after_created_days_max", replace(CERTIFICATE, modified_at=AS_OF)),
        ("doc_timestamps_in_future_count", replace(CERTIFICATE, modified_at=AS_OF + 9 * DAY)),
    ],
)
def test_a_riskier_certificate_moves_its_feature_in_the_declared_direction(
    name: str, changed: DocumentEvidence
) -> None:
    before = features(CERTIFICATE, STATEMENT)[name]
    after = features(changed, STATEMENT)[name]
    direction = monotone(name)
    assert direction != 0
    assert (after - before) * direction > 0


@pytest.mark.parametrize(
    ("name", "changed"),
    [
        ("doc_currency_mismatch", replace(STATEMENT, currency="usd")),
        ("doc_statement_balance_gap", replace(STATEMENT, closing_balance=9500.0)),
        ("doc_cross_name_match_min", replace(STATEMENT, holder="Bluebird Services Ltd")),
    ],
)
def test_a_riskier_statement_moves_its_feature_in_the_declared_direction(
    name: str, changed: DocumentEvidence
) -> None:
    before = features(CERTIFICATE, STATEMENT)[name]
    after = features(CERTIFICATE, changed)[name]
    assert (after - before) * monotone(name) > 0


def test_numbers_are_compared_only_where_the_account_carries_them() -> None:
    account = {**ACCOUNT, "company": {**ACCOUNT["company"], "registration_number": "12345678"}}
    assert features(CERTIFICATE, account=account)["doc_registration_number_match"] == 1.0
    other = replace(CERTIFICATE, registration_number="87654321")
    assert features(other, account=account)["doc_registration_number_match"] == 0.0
    assert features(CERTIFICATE, other)["doc_number_conflict"] == 1.0
    assert features(CERTIFICATE, CERTIFICATE)["doc_number_conflict"] == 0.0


def test_unreadable_files_count_but_do_not_feed_comparisons() -> None:
    values = features(BROKEN, replace(BROKEN, error="encrypted"))
    assert values["doc_error_count"] == 2.0
    assert values["doc_error_encrypted"] == 1.0
    assert values["doc_has_registration_certificate"] == 0.0
    assert math.isnan(values["doc_name_match_min"])


def test_the_function_reads_but_never_changes_its_inputs() -> None:
    account = {**ACCOUNT}
    docs = [CERTIFICATE, STATEMENT]
    first = features(*docs, account=account)
    assert account == ACCOUNT and docs == [CERTIFICATE, STATEMENT]
    second = features(*docs, account=account)
    assert [v for v in first.values() if not math.isnan(v)] == [
        v for v in second.values() if not math.isnan(v)
    ]


def test_an_identity_document_is_compared_with_the_individual_only() -> None:
    passport = DocumentEvidence(
        sha256="d" * 64, size_bytes=10, pages=1, kind="identity_scan", legal_name="Jane Doe"
    )
    company_only = features(CERTIFICATE, passport)
    assert company_only["doc_name_match_min"] == 1.0  # the passport is not held against "Acme"
    assert math.isnan(company_only["doc_cross_name_match_min"])  # one business document
    person = {**ACCOUNT, "individual": {"first_name": "John", "last_name": "Smith"}}
    assert features(CERTIFICATE, passport, account=person)["doc_name_match_min"] < 0.5
