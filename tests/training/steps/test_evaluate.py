from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import pytest

from training.steps.card import CardFacts, render_card
from training.steps.evaluate import evaluate_scores, overall, segment_columns


@pytest.fixture
def scored() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = 400
    frame = pd.DataFrame(
        {
            "account": [f"acct_{i % 100}" for i in range(rows)],
            "onboarding": [i < 100 for i in range(rows)],
            "target": (rng.random(rows) < 0.1).astype(int),
        }
    )
    return frame.assign(score=np.clip(frame["target"] * 0.5 + rng.random(rows) * 0.5, 0, 1))


def accounts() -> dict[str, dict[str, str]]:
    return {
        f"acct_{i}": {"country": "US" if i % 2 else "FR", "business_type": "company"}
        for i in range(99)
    } | {"acct_99": {}}


def test_segments_come_from_the_account_and_the_snapshot(scored):
    segments = segment_columns(scored, accounts())
    assert set(segments["country"]) == {"US", "FR", "unknown"}
    assert set(segments["phase"]) == {"onboarding", "later"}
    assert segments.index.equals(scored.index)


def test_table_has_overall_and_per_segment_rows_for_each_scorer(scored):
    segments = segment_columns(scored, accounts())
    noise = pd.Series(np.random.default_rng(1).random(len(scored)), index=scored.index)
    table = evaluate_scores(scored["target"], {"model": scored["score"], "noise": noise}, segments)
    assert overall(table, "model")["roc_auc"] > overall(table, "noise")["roc_auc"]
    us = table[(table["scorer"] == "model") & (table["value"] == "US")].iloc[0]
    assert us["count"] == (segments["country"] == "US").sum()
    with pytest.raises(KeyError):
        overall(table, "rules")


def _facts(**changes: Any) -> CardFacts:
    """A run's card facts: a small run unless `changes` say otherwise."""
    facts = CardFacts(
        dataset="data/x",
        digest="ab" * 32,
        registry_version="0123456789ab",
        feature_count=99,
        horizon_days=90,
        calibration="sigmoid",
        split_sizes={"train": 6, "calibration": 2, "test": 2},
        split_positives={"train": 3, "calibration": 1, "test": 1},
    )
    return dataclasses.replace(facts, **changes)


def test_model_card_states_the_run(scored):
    segments = segment_columns(scored, accounts())
    table = evaluate_scores(scored["target"], {"model": scored["score"]}, segments)
    facts = _facts(
        feature_count=175,
        horizon_days=60,
        test_start="2025-07-28T00:00:00Z",
        periods={"train": "A..B", "calibration": "C..D", "test": "E..F"},
    )
    importance = pd.Series({"dispute_rate_count_all": 0.5, "doc_touchup_any": 0.2})
    card = render_card(facts, table, importance)
    assert "60 days" in card and "0123456789ab" in card and "6 / 2 / 2" in card
    assert "| test period starts | 2025-07-28T00:00:00Z;" in card and "A..B / C..D / E..F" in card
    assert "`dispute_rate_count_all`" in card
    assert f"{overall(table, 'model')['roc_auc']:.3f}" in card
    assert "| model | onboarding | 100 |" in card
    assert "1 test positives" in card and "does not know" in card
    assert "not computed" in card


def test_model_card_gives_account_bootstrap_intervals_around_the_test_figures(scored):
    noise = np.random.default_rng(2).random(len(scored))
    scored = scored.assign(score=scored["target"] * 0.2 + noise * 0.8)
    segments = segment_columns(scored, accounts())
    table = evaluate_scores(scored["target"], {"model": scored["score"]}, segments)
    facts = _facts(
        split_sizes={"train": 6, "calibration": 2, "test": 400},
        split_positives={"train": 3, "calibration": 1, "test": int(scored["target"].sum())},
    )
    card = render_card(facts, table, pd.Series({"x": 1.0}), scored)
    line = next(row for row in card.splitlines() if row.startswith("- model: ROC-AUC ["))
    low, high = (float(v) for v in line.split("[")[1].split("]")[0].split(", "))
    assert low < overall(table, "model")["roc_auc"] < high
    assert "99 features: those with a stated risk direction" in card
