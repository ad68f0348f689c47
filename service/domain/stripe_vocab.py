"""Stripe's vocabulary the policy may use, for the SDK's pinned API version (2026-10-28.endive).

Cheap constant tables copied from spec3.json and the SDK's params (see shared FACTS.md); a test
checks them against the spec so a spec or SDK upgrade cannot drift silently.
"""

from __future__ import annotations

API_VERSION = "2026-10-28.endive"

# `POST /v1/accounts/{id}/reject` reasons in endive; plain `fraud` now answers 400.
REJECT_REASONS: tuple[str, ...] = (
    "credit",
    "fraud_no_intent_to_fulfill",
    "fraud_other",
    "fraud_payment_method_casher",
    "fraud_payment_method_tester",
    "other",
    "terms_of_service",
)
RETIRED_REJECT_REASONS = {"fraud": "fraud_other"}

PAYOUT_INTERVALS: tuple[str, ...] = ("daily", "manual", "monthly", "weekly")
WEEKLY_ANCHORS: tuple[str, ...] = (
    "friday",
    "monday",
    "saturday",
    "sunday",
    "thursday",
    "tuesday",
    "wednesday",
)
BUSINESS_TYPES: tuple[str, ...] = ("company", "government_entity", "individual", "non_profit")
ACCOUNT_TYPES: tuple[str, ...] = ("custom", "express", "none", "standard")

# `components.schemas.account_capabilities` (66 names) plus the four endive additions.
SPEC_CAPABILITIES: frozenset[str] = frozenset(
    """
    acss_debit_payments affirm_payments afterpay_clearpay_payments alma_payments
    amazon_pay_payments app_distribution au_becs_debit_payments bacs_debit_payments
    bancontact_payments bank_transfer_payments billie_payments bizum_payments blik_payments
    boleto_payments card_issuing card_payments cartes_bancaires_payments cashapp_payments
    crypto_payments eps_payments fpx_payments gb_bank_transfer_payments giropay_payments
    grabpay_payments ideal_payments india_international_payments jcb_payments
    jp_bank_transfer_payments kakao_pay_payments klarna_payments konbini_payments
    kr_card_payments legacy_payments link_payments mb_way_payments mobilepay_payments
    multibanco_payments mx_bank_transfer_payments naver_pay_payments
    nz_bank_account_becs_debit_payments oxxo_payments p24_payments pay_by_bank_payments
    payco_payments paynow_payments payto_payments pix_payments promptpay_payments
    revolut_pay_payments samsung_pay_payments satispay_payments scalapay_payments
    sepa_bank_transfer_payments sepa_debit_payments sofort_payments sunbit_payments
    swish_payments tax_reporting_us_1099_k tax_reporting_us_1099_misc transfers treasury
    twint_payments upi_payments us_bank_account_ach_payments us_bank_transfer_payments
    zip_payments
    """.split()
)
ENDIVE_CAPABILITIES: frozenset[str] = frozenset(
    {"blik_recurring_payments", "paypay_payments", "sequra_payments", "wero_payments"}
)
CAPABILITY_NAMES: frozenset[str] = SPEC_CAPABILITIES | ENDIVE_CAPABILITIES

# Stripe's documented metadata limits (docs.stripe.com/metadata); the request schema has none.
METADATA_KEY_MAX = 40
METADATA_VALUE_MAX = 500
IDEMPOTENCY_KEY_MAX = 255
