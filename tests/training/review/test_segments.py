"""Per-segment tables from the evaluation a training run logs, and its metrics table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from training.review.segments import MIN_POSITIVES, metrics_table, segment_table
from training.steps.evaluate import evaluate_scores


@pytest.fixture
def evaluation() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = 400
    target = pd.Series((rng.random(rows) < 0.1).astype("int64"))
    segments = pd.DataFrame(
        {
            "country": np.where(np.arange(rows) < 350, "US", "DE"),
            "business_type": "company",
            "phase": np.where(np.arange(rows) % 2 == 0, "onboarding", "later"),
        }
    )
    model = pd.Series(np.clip(target * 0.5 + rng.random(rows) * 0.5, 0, 1))
    rules = pd.Series(rng.random(rows))
    return evaluate_scores(target, {"model": model, "rules": rules}, segments)


def test_segment_table_puts_scorers_side_by_side(evaluation) -> None:
    table = segment_table(evaluation)
    assert list(table[["segment", "value"]].itertuples(index=False, name=None)) == [
        ("all", "all"),
        ("country", "DE"),
        ("country", "US"),
        ("business_type", "company"),
        ("phase", "later"),
        ("phase", "onboarding"),
    ]
    overall = table.iloc[0]
    assert overall["count"] == 400
    assert overall["roc_auc_model"] > 0.9 > overall["roc_auc_rules"]
    long = evaluation.set_index(["scorer", "segment", "value"])
    assert table.iloc[1]["ece_rules"] == long.loc[("rules", "country", "DE"), "ece"]


def test_segment_table_flags_thin_segments(evaluation) -> None:
    table = segment_table(evaluation).set_index("value")
    assert bool(table.loc["DE", "thin"]) == (table.loc["DE", "positives"] < MIN_POSITIVES)
    assert not table.loc["all", "thin"]


def test_segment_table_names_missing_metrics(evaluation) -> None:
    with pytest.raises(KeyError, match="nonsense"):
        segment_table(evaluation, metrics=("nonsense",))


def test_metrics_table_pairs_model_and_rules() -> None:
    logged = {"test_roc_auc": 0.9, "rules_test_roc_auc": 0.6, "test_count": 10.0, "test_ece": 0.01}
    table = metrics_table(logged)
    assert list(table.index) == ["roc_auc", "ece", "count"]
    assert table.loc["roc_auc"].tolist() == [0.9, 0.6]
    assert np.isnan(table.loc["ece", "rules"])
