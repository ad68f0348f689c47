"""A transparent rules baseline: points for a handful of red flags a risk analyst would check.

The score is points / maximum points, in [0, 1]; it ranks accounts but is not a probability,
so its calibration figures (Brier, ECE) are shown for completeness only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Rule:
    """One red flag: `feature` above `threshold` earns `points`."""

    feature: str
    threshold: float
    points: int
    why: str


RULES: tuple[Rule, ...] = (
    Rule("requirements_past_due_count", 0, 2, "verification requirements past due"),
    Rule("doc_touchup_any", 0, 2, "a document was edited after creation (TouchUp)"),
    Rule("doc_info_xmp_mismatch_any", 0, 1, "document metadata disagrees with itself"),
    Rule("doc_trailer_id_mismatch_any", 0, 1, "document file identifiers disagree"),
    Rule("dispute_rate_count_all", 0.01, 3, "more than 1% of charges disputed"),
    Rule("failed_charge_rate_all", 0.2, 2, "more than 20% of charges failed"),
    Rule("external_account_country_mismatch", 0, 2, "payout bank in another country"),
    Rule("linked_accounts_card", 0, 1, "cards shared with other accounts"),
    Rule("linked_bad_accounts_any", 0, 3, "linked to an account already closed for risk"),
)


def rules_score(frame: pd.DataFrame, rules: tuple[Rule, ...] = RULES) -> pd.Series:
    """Scaled points per row of a feature frame (missing values earn no points).

    Args:
        frame: a feature table holding every rule's feature column.
        rules: the rules to apply.

    Returns:
        A new Series in [0, 1], aligned with `frame`.
    """
    points = np.zeros(len(frame), dtype=np.float64)
    for rule in rules:
        values = frame[rule.feature].to_numpy(dtype=np.float64)
        points += np.where(np.nan_to_num(values, nan=-np.inf) > rule.threshold, rule.points, 0)
    return pd.Series(points / sum(r.points for r in rules), index=frame.index, name="rules")
