"""Reasons: the features that pushed a score up, worded for what was (or was not) known."""

from __future__ import annotations

import numpy as np

from features import spec_of
from service.usecases.score_account import _reasons

NAMES = ["company_directors_provided", "account_age_days", "charges_enabled", "payouts_enabled"]


def test_reasons_are_the_top_positive_contributions_and_say_when_nothing_was_known():
    values = np.array([np.nan, 3.0, 1.0, 0.0], dtype=np.float32)
    contributions = np.array([0.4, 0.7, -0.2, 0.1], dtype=np.float32)

    reasons = _reasons(NAMES, values, contributions)

    assert [r.feature for r in reasons] == [
        "account_age_days",
        "company_directors_provided",
        "payouts_enabled",
    ]
    unknown = reasons[1]
    assert unknown.value is None
    assert unknown.description == f"Not known: {spec_of(unknown.feature).description}"
    assert reasons[0].description == spec_of("account_age_days").description
