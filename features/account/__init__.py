"""Account-profile features from a Stripe Account object (a plain dict; any field may be absent)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from features.account.payout_accounts import (
    PAYOUT_ACCOUNT_FEATURES,
    bank_fingerprints,
    payout_account_features,
)
from features.account.profile import PROFILE_FEATURES, account_age_days, profile_features
from features.account.requirements import (
    REQUIREMENTS_FEATURES,
    requirements_deadline_days,
    requirements_features,
)
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
    return _undated(account) | _dated(account, as_of)


def account_feature_rows(
    accounts: Sequence[Mapping[str, Any]], as_of: Sequence[int] | np.ndarray
) -> list[dict[str, float]]:
    """`account_features(accounts[i], as_of[i])` for every i. An Account object that recurs
    (one account's many snapshots in training) has its undated features computed once."""
    undated: dict[int, dict[str, float]] = {}
    rows = []
    for account, instant in zip(accounts, as_of, strict=True):
        key = id(account)  # the objects stay alive for the whole call
        if key not in undated:
            undated[key] = _undated(account)
        rows.append(undated[key] | _dated(account, int(instant)))
    return rows


def _undated(account: Mapping[str, Any]) -> dict[str, float]:
    if not isinstance(account, Mapping):
        raise TypeError(f"account must be a mapping (a Stripe Account object), got {type(account)}")
    return (
        profile_features(account)
        | requirements_features(account)
        | payout_account_features(account)
    )


def _dated(account: Mapping[str, Any], as_of: int) -> dict[str, float]:
    return {
        "account_age_days": account_age_days(account, as_of),
        "requirements_deadline_days": requirements_deadline_days(account, as_of),
    }


__all__ = ["ACCOUNT_FEATURES", "account_feature_rows", "account_features", "bank_fingerprints"]
