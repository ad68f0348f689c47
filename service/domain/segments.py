"""Find an account's segment: the first policy segment whose match accepts its attributes."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime

from features.mcc import HIGH, LOW, MEDIUM, VERY_HIGH, mcc_risk_group
from service.domain.facts import AccountFacts
from service.domain.policy_model import MccGroup, Policy, Segment, SegmentMatch

_GROUP_NAMES: dict[int, MccGroup] = {
    LOW: "low",
    MEDIUM: "medium",
    HIGH: "high",
    VERY_HIGH: "very_high",
}


def mcc_group(mcc: str | None) -> MccGroup:
    """The MCC's risk group name (features/mcc.py groups); `unknown` when the MCC is absent."""
    group = mcc_risk_group(mcc)
    return "unknown" if math.isnan(group) else _GROUP_NAMES[int(group)]


def account_age_days(facts: AccountFacts, as_of: datetime) -> int:
    """Whole days since the account was connected; 0 when `created` is unknown.

    An unknown age counts as new, the stricter reading for risk.
    """
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")
    if facts.created is None:
        return 0
    return max(0, (as_of - facts.created).days)


def segment_accepts(
    match: SegmentMatch,
    facts: AccountFacts,
    regions: Mapping[str, tuple[str, ...]],
    as_of: datetime,
) -> bool:
    """Whether every condition of `match` holds for the account (unset conditions hold)."""
    countries = set(match.countries).union(*(regions[r] for r in match.regions))
    if countries and facts.country not in countries:
        return False
    if match.business_types and (facts.business_type or "unknown") not in match.business_types:
        return False
    if match.mcc_groups and mcc_group(facts.mcc) not in match.mcc_groups:
        return False
    if match.account_types and facts.account_type not in match.account_types:
        return False
    age = account_age_days(facts, as_of)
    if match.min_account_age_days is not None and age < match.min_account_age_days:
        return False
    return match.max_account_age_days is None or age <= match.max_account_age_days


def match_segment(facts: AccountFacts, policy: Policy, as_of: datetime) -> Segment:
    """The first segment accepting the account; the validated catch-all guarantees one."""
    for segment in policy.segments:
        if segment_accepts(segment.match, facts, policy.regions, as_of):
            return segment
    raise AssertionError("a validated policy ends with a catch-all segment")
