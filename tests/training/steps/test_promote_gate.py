from __future__ import annotations

import math

import pytest

from training.steps.promote import GateConfig, decide

RULES = {"recall_at_5fpr": 0.30, "ece": 0.20}


def test_first_model_must_beat_the_rules_by_the_margin():
    assert decide({"recall_at_5fpr": 0.33, "ece": 0.01}, None, RULES).promote
    kept = decide({"recall_at_5fpr": 0.31, "ece": 0.01}, None, RULES)
    assert not kept.promote and kept.incumbent_kind == "rules"
    assert "does not beat rules" in kept.reason


def test_challenger_must_beat_the_champion_by_the_margin():
    champion = {"recall_at_5fpr": 0.5, "ece": 0.02}
    config = GateConfig(margin=0.05)
    assert decide({"recall_at_5fpr": 0.56, "ece": 0.02}, champion, RULES, config).promote
    assert not decide({"recall_at_5fpr": 0.54, "ece": 0.02}, champion, RULES, config).promote


def test_a_worse_calibration_blocks_promotion():
    champion = {"recall_at_5fpr": 0.5, "ece": 0.02}
    out = decide({"recall_at_5fpr": 0.9, "ece": 0.10}, champion, RULES)
    assert not out.promote and "ECE" in out.reason


def test_an_undefined_challenger_metric_never_promotes():
    assert not decide({"recall_at_5fpr": math.nan, "ece": 0.0}, None, RULES).promote


def test_an_unknown_metric_is_an_error():
    with pytest.raises(KeyError):
        decide({"ece": 0.0}, None, RULES, GateConfig(metric="accuracy"))


def test_a_tie_never_promotes_unless_the_margin_allows_a_worse_challenger():
    champion = {"recall_at_5fpr": 0.5, "ece": 0.02}
    tie = {"recall_at_5fpr": 0.5, "ece": 0.02}
    assert not decide(tie, champion, RULES, GateConfig(margin=0.0)).promote
    worse = {"recall_at_5fpr": 0.45, "ece": 0.02}
    allowed = decide(worse, champion, RULES, GateConfig(margin=-0.1))
    assert allowed.promote
    assert allowed.reason == (
        "challenger recall_at_5fpr 0.4500 is within 0.1 of champion 0.5000 (margin -0.1)"
    )
