"""Map a calibrated risk score to the policy's risk band."""

from __future__ import annotations

import math

from service.domain.policy_model import Band, Policy


def decide_band(score: float, policy: Policy) -> Band:
    """The highest band whose `min_score` the score reaches (bands are validated increasing).

    Raises ValueError for a score outside [0, 1] or NaN: a broken model must not pick a band.
    """
    if not isinstance(score, int | float) or math.isnan(score) or not 0.0 <= score <= 1.0:
        raise ValueError(f"risk score must be a probability in [0, 1], got {score!r}")
    chosen = policy.bands[0]
    for band in policy.bands:
        if score >= band.min_score:
            chosen = band
    return chosen
