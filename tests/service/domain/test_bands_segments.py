"""Scores to bands (monotone, bounded) and accounts to segments (first match wins)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.domain.bands import decide_band
from service.domain.facts import AccountFacts
from service.domain.policy_model import Policy
from service.domain.segments import account_age_days, match_segment, mcc_group

MakeFacts = Callable[..., AccountFacts]
probabilities = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@given(a=probabilities, b=probabilities)
def test_a_higher_score_never_gets_a_lower_band(default_policy: Policy, a: float, b: float) -> None:
    order = [band.name for band in default_policy.bands]
    low, high = sorted((a, b))
    assert order.index(decide_band(low, default_policy).name) <= order.index(
        decide_band(high, default_policy).name
    )


@given(score=probabilities)
def test_the_band_is_the_last_threshold_reached(default_policy: Policy, score: float) -> None:
    band = decide_band(score, default_policy)
    assert score >= band.min_score
    above = [b for b in default_policy.bands if b.min_score > band.min_score]
    assert all(score < b.min_score for b in above)


def test_a_threshold_belongs_to_its_own_band(default_policy: Policy) -> None:
    for band in default_policy.bands:
        assert decide_band(band.min_score, default_policy) == band
    assert decide_band(1.0, default_policy).name == default_policy.top_band


@pytest.mark.parametrize("score", [-0.01, 1.01, math.nan, math.inf])
def test_scores_outside_zero_one_are_refused(default_policy: Policy, score: float) -> None:
    with pytest.raises(ValueError, match="probability"):
        decide_band(score, default_policy)


@pytest.mark.parametrize(
    ("overrides", "segment"),
    [
        ({"mcc": "7995", "age_days": 10}, "new_high_risk_mcc"),  # betting, new
        ({"mcc": "5944", "age_days": 90, "country": "FR"}, "new_high_risk_mcc"),  # age bound kept
        ({"mcc": "7995", "age_days": 91}, "us_company"),  # no longer new
        ({"mcc": "5734", "age_days": 10}, "us_company"),  # medium MCC only
        ({"business_type": "individual"}, "default"),
        ({"country": "DE", "business_type": "individual"}, "eu"),
        ({"country": "CH"}, "default"),  # not in the eu region
        ({"country": "US", "business_type": None}, "default"),
    ],
)
def test_first_matching_segment_wins(
    default_policy: Policy,
    make_facts: MakeFacts,
    now: datetime,
    overrides: dict[str, object],
    segment: str,
) -> None:
    assert match_segment(make_facts(**overrides), default_policy, now).name == segment


def test_unknown_creation_time_counts_as_a_new_account(
    default_policy: Policy, now: datetime
) -> None:
    facts = AccountFacts(account_id="acct_1", country="GB", mcc="7995")
    assert account_age_days(facts, now) == 0
    assert match_segment(facts, default_policy, now).name == "new_high_risk_mcc"


def test_age_needs_an_aware_clock(make_facts: MakeFacts, now: datetime) -> None:
    with pytest.raises(ValueError, match="timezone"):
        account_age_days(make_facts(), now.replace(tzinfo=None))


def test_age_is_counted_at_the_decision_time(make_facts: MakeFacts, now: datetime) -> None:
    facts = make_facts(age_days=30)
    assert account_age_days(facts, now) == 30
    assert account_age_days(facts, now + timedelta(days=5)) == 35


@pytest.mark.parametrize(
    ("mcc", "group"),
    [(None, "unknown"), ("", "unknown"), ("7995", "very_high"), ("5944", "high"), ("0742", "low")],
)
def test_mcc_groups_follow_the_feature_table(mcc: str | None, group: str) -> None:
    assert mcc_group(mcc) == group
