from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training.steps.metrics import compute_metrics
from training.steps.promote import GateConfig, decide

RULES = {"recall_at_5fpr": 0.30, "ece": 0.20}
HOLDOUT = {"positives": 60.0, "count": 3000.0}  # a 2% positive rate, enough positives


def test_first_model_must_beat_the_rules_by_the_margin():
    assert decide({"recall_at_5fpr": 0.33, "ece": 0.01, **HOLDOUT}, None, RULES).promote
    kept = decide({"recall_at_5fpr": 0.31, "ece": 0.01, **HOLDOUT}, None, RULES)
    assert not kept.promote and kept.incumbent_kind == "rules"
    assert "does not beat rules" in kept.reason


def test_challenger_must_beat_the_champion_by_the_margin():
    champion = {"recall_at_5fpr": 0.5, "ece": 0.02, **HOLDOUT}
    config = GateConfig(margin=0.05)
    assert decide({"recall_at_5fpr": 0.56, "ece": 0.02, **HOLDOUT}, champion, RULES, config).promote
    kept = decide({"recall_at_5fpr": 0.54, "ece": 0.02, **HOLDOUT}, champion, RULES, config)
    assert not kept.promote


def test_the_ece_tolerance_is_a_share_of_the_holdouts_positive_rate():
    champion = {"recall_at_5fpr": 0.5, "ece": 0.002, **HOLDOUT}
    # 0.5 x 2% = 0.01 more ECE is allowed, not more.
    assert decide({"recall_at_5fpr": 0.9, "ece": 0.0119, **HOLDOUT}, champion, RULES).promote
    out = decide({"recall_at_5fpr": 0.9, "ece": 0.0121, **HOLDOUT}, champion, RULES)
    assert not out.promote and "ECE" in out.reason and "positive rate 0.0200" in out.reason


@settings(max_examples=25, deadline=None)
@given(base_rate=st.floats(0.002, 0.08), seed=st.integers(0, 2**32 - 1))
def test_a_challenger_over_predicting_4x_is_refused_and_a_calibrated_one_passes(base_rate, seed):
    rng = np.random.default_rng(seed)
    calibrated = np.clip(rng.lognormal(np.log(base_rate) - 0.5, 1.0, 20_000), 0, 1)
    target = (rng.random(len(calibrated)) < calibrated).astype(np.int64)
    if target.sum() < 10:
        return
    other = np.clip(calibrated * rng.lognormal(0, 0.2, len(calibrated)), 0, 1)
    champion = compute_metrics(target, calibrated)
    # Any ranking and holdout size pass: only calibration can refuse.
    lenient = GateConfig(margin=-1.0, min_positives=0)
    over = decide(compute_metrics(target, np.clip(4 * calibrated, 0, 1)), champion, RULES, lenient)
    assert not over.promote and "ECE" in over.reason
    assert decide(compute_metrics(target, other), champion, RULES, lenient).promote


def test_an_undefined_challenger_metric_never_promotes():
    assert not decide({"recall_at_5fpr": math.nan, "ece": 0.0, **HOLDOUT}, None, RULES).promote


def test_an_unknown_metric_is_an_error():
    with pytest.raises(KeyError):
        decide({"ece": 0.0}, None, RULES, GateConfig(metric="accuracy"))


def test_a_tie_never_promotes_unless_the_margin_allows_a_worse_challenger():
    champion = {"recall_at_5fpr": 0.5, "ece": 0.02, **HOLDOUT}
    tie = {"recall_at_5fpr": 0.5, "ece": 0.02, **HOLDOUT}
    assert not decide(tie, champion, RULES, GateConfig(margin=0.0)).promote
    worse = {"recall_at_5fpr": 0.45, "ece": 0.02, **HOLDOUT}
    allowed = decide(worse, champion, RULES, GateConfig(margin=-0.1))
    assert allowed.promote
    assert allowed.reason == (
        "challenger recall_at_5fpr 0.4500 is within 0.1 of champion 0.5000 (margin -0.1)"
    )


@settings(max_examples=40, deadline=None)
@given(positives=st.integers(0, 49), gain=st.floats(0.0, 1.0))
def test_too_few_positives_never_replace_a_champion(positives, gain):
    holdout = {"positives": float(positives), "count": 5000.0}
    champion = {"recall_at_5fpr": 0.0, "ece": 0.01, **holdout}
    challenger = {"recall_at_5fpr": gain, "ece": 0.0, **holdout}
    out = decide(challenger, champion, RULES, GateConfig(margin=-1.0))
    assert not out.promote and out.too_few
    assert f"has {positives} positive snapshots, fewer than the 50" in out.reason


def test_a_first_model_on_a_small_holdout_is_promoted_over_the_rules_and_says_so():
    small = {"positives": 5.0, "count": 664.0}
    out = decide({"recall_at_5fpr": 0.6, "ece": 0.02, **small}, None, RULES)
    assert out.promote and out.too_few and out.incumbent_kind == "rules"
    assert out.reason.startswith("challenger recall_at_5fpr 0.6000 beats rules 0.3000")
    assert "but the holdout has 5 positive snapshots" in out.reason and "0.200" in out.reason
    assert not decide({"recall_at_5fpr": 0.3, "ece": 0.02, **small}, None, RULES).promote


def test_enough_positives_leave_the_comparison_alone():
    out = decide({"recall_at_5fpr": 0.6, "ece": 0.02, **HOLDOUT}, None, RULES)
    assert out.promote and not out.too_few and "holdout has" not in out.reason
