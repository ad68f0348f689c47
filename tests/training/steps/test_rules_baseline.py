from __future__ import annotations

import numpy as np
import pandas as pd

from training.rules_baseline import RULES, rules_score


def clean_frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({rule.feature: np.zeros(rows) for rule in RULES})


def test_no_flags_score_zero_and_every_flag_scores_one():
    frame = clean_frame(2)
    for rule in RULES:
        frame.loc[1, rule.feature] = rule.threshold + 1
    assert rules_score(frame).tolist() == [0.0, 1.0]


def test_each_flag_adds_its_share_and_missing_values_add_nothing():
    frame = clean_frame(3)
    rule = RULES[0]
    frame.loc[1, rule.feature] = rule.threshold + 1
    frame.loc[2, rule.feature] = np.nan
    total = sum(r.points for r in RULES)
    assert rules_score(frame).tolist() == [0.0, rule.points / total, 0.0]


def test_the_input_frame_is_left_unchanged():
    frame = clean_frame(2)
    before = frame.copy()
    rules_score(frame)
    pd.testing.assert_frame_equal(frame, before)
