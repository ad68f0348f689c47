"""Account-profile features from a Stripe Account object (a plain dict; any field may be absent)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from features.account.payout_accounts import (
    PAYOUT_ACCOUNT_FEATURES,
    bank_fingerprints,
    payout_account_features,
)
from features.account.profile import PROFILE_FEATURES, profile_features
from features.account.requirements import REQUIREMENTS_FEATURES, requirements_features
from features.spec import FeatureSpec

ACCOUNT_FEATURES: tuple[FeatureSpec, ...] = (
    *PROFILE_FEATURES,
    *REQUIREMENTS_FEATURES,
    *PAYOUT_ACCOUNT_FEATURES,
)


def account_features(account: Mapping[str, Any], as_of: int) -> dict[str, float]:
    """Every account-group feature of one Account object as seen at `as_of` (Unix seconds).

    Account state is taken as given (the contract has no history of it); only the age and the
    requirements deadline depend on `as_of`. Categorical facts become 0/1 flags or ordinal risk
    groups, and a field the object does not carry becomes NaN.
    """
    if not isinstance(account, Mapping):
        raise TypeError(f"account must be a mapping (a Stripe Account object), got {type(account)}")
    return (
        profile_features(account, as_of)
        | requirements_features(account, as_of)
        | payout_account_features(account)
    )


__all__ = ["ACCOUNT_FEATURES", "account_features", "bank_fingerprints"]
