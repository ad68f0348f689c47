"""Where a provider's money goes: the external (bank or card) accounts on a Stripe Account."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from features.account._access import NAN, dig, mappings
from features.spec import FeatureSpec

_STATUS_RISK = {
    "validated": 0.0,
    "verified": 0.0,
    "new": 1.0,
    "verification_failed": 2.0,
    "errored": 2.0,
    "tokenized_account_number_deactivated": 2.0,
}


def bank_fingerprints(account: Mapping[str, Any]) -> list[str]:
    """Fingerprints of the account's external bank accounts (the cross-account link keys)."""
    return [
        item["fingerprint"]
        for item in mappings(dig(account, "external_accounts", "data"))
        if item.get("object", "bank_account") == "bank_account"
        and isinstance(item.get("fingerprint"), str)
        and item["fingerprint"]
    ]


def payout_account_features(account: Mapping[str, Any]) -> dict[str, float]:
    """Count, kind, status and country agreement of the account's external accounts.

    NaN throughout when `external_accounts` is absent: Stripe returns it only to a platform that
    controls the account.
    """
    if not isinstance(account.get("external_accounts"), Mapping):
        return dict.fromkeys((spec.name for spec in PAYOUT_ACCOUNT_FEATURES), NAN)
    items = mappings(dig(account, "external_accounts", "data"))
    country = account.get("country")
    countries = [c for c in (item.get("country") for item in items) if isinstance(c, str)]
    risks = [_STATUS_RISK.get(str(item.get("status")), NAN) for item in items]
    known = [risk for risk in risks if risk == risk]
    return {
        "external_account_count": float(len(items)),
        "external_account_is_card": float(any(item.get("object") == "card" for item in items)),
        "external_account_country_mismatch": (
            float(any(value.upper() != country.upper() for value in countries))
            if isinstance(country, str) and country
            else NAN
        ),
        "external_account_status_risk": max(known) if known else NAN,
        "bank_fingerprint_present": float(bool(bank_fingerprints(account))),
    }


PAYOUT_ACCOUNT_FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec(
        "external_account_count", "int", "account", 0, "External accounts payouts can go to."
    ),
    FeatureSpec(
        "external_account_is_card",
        "bool",
        "account",
        1,
        "Payouts can go to a debit card rather than a bank account.",
    ),
    FeatureSpec(
        "external_account_country_mismatch",
        "bool",
        "account",
        1,
        "An external account is in a different country than the business.",
    ),
    FeatureSpec(
        "external_account_status_risk",
        "int",
        "account",
        1,
        "Worst external account status: 0 validated/verified, 1 new, 2 failed, errored or "
        "deactivated; NaN when none reports a status.",
    ),
    FeatureSpec(
        "bank_fingerprint_present",
        "bool",
        "account",
        -1,
        "An external bank account carries a fingerprint (a linkable, real bank account).",
    ),
)
