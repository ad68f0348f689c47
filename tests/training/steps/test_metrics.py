from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training.steps.metrics import (
    METRIC_NAMES,
    bootstrap_intervals,
    compute_metrics,
    expected_calibration_error,
    precision_at_top,
    quantile_bins,
    recall_at_fpr,
)


def test_perfect_ranking_scores_one_and_reversed_scores_zero():
    target = np.array([0] * 95 + [1] * 5)
    score = np.linspace(0, 1, 100)
    good = compute_metrics(target, score)
    assert good["roc_auc"] == 1 and good["recall_at_1fpr"] == 1
    assert good["precision_at_top5"] == 1
    bad = compute_metrics(target, 1 - score)
    assert bad["roc_auc"] == 0 and bad["recall_at_5fpr"] == 0


def test_recall_at_fpr_only_counts_thresholds_within_the_budget():
    target = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    score = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0])
    assert recall_at_fpr(target, score, 0.0) == 0.5
    assert recall_at_fpr(target, score, 0.125) == 1.0


def test_precision_at_top_takes_at_least_one_row():
    assert precision_at_top(np.array([1, 0, 0]), np.array([0.9, 0.1, 0.2]), 0.01) == 1.0


def test_ece_is_zero_when_each_bin_matches_its_rate_and_large_when_not():
    target = np.array([0, 0, 0, 1] * 25)
    assert expected_calibration_error(target, np.full(100, 0.25)) == pytest.approx(0)
    assert expected_calibration_error(target, np.full(100, 0.95)) == pytest.approx(0.7)


def test_ece_sees_miscalibration_among_scores_that_all_sit_near_zero():
    # Half the rows score 0.005 but close at 2%, half score 0.02 but close at 0.5%: the mean
    # score equals the base rate, so one bin holding every score would call this calibrated.
    low = np.r_[np.ones(40), np.zeros(1960)]
    high = np.r_[np.ones(10), np.zeros(1990)]
    target = np.r_[low, high].astype(np.int64)
    score = np.r_[np.full(2000, 0.005), np.full(2000, 0.02)]
    assert expected_calibration_error(target, score) == pytest.approx(0.015)
    assert expected_calibration_error(target, score, bins=1) == pytest.approx(0.0)


@settings(max_examples=30, deadline=None)
@given(rows=st.integers(1, 300), bins=st.integers(1, 20), seed=st.integers(0, 10_000))
def test_quantile_bins_cover_every_row_once_in_score_order(rows, bins, seed):
    score = np.random.default_rng(seed).random(rows)
    groups = quantile_bins(score, bins)
    assert sorted(np.concatenate(groups).tolist()) == list(range(rows))
    assert len(groups) == min(bins, rows)
    assert max(map(len, groups)) - min(map(len, groups)) <= 1
    assert all(score[a].max() < score[b].min() for a, b in zip(groups, groups[1:], strict=False))


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.sampled_from([0.0, 0.01, 0.02, 0.5]), min_size=1, max_size=200))
def test_equal_scores_always_share_a_bin(values):
    score = np.asarray(values)
    groups = quantile_bins(score, 10)
    assert sorted(np.concatenate(groups).tolist()) == list(range(len(score)))
    assert sum(len(set(score[rows].tolist())) for rows in groups) >= len(set(values))
    assert all(score[a].max() < score[b].min() for a, b in zip(groups, groups[1:], strict=False))


def test_single_class_leaves_ranking_metrics_undefined():
    out = compute_metrics(np.zeros(10), np.linspace(0, 1, 10))
    assert math.isnan(out["roc_auc"]) and not math.isnan(out["brier"])
    assert list(out) == list(METRIC_NAMES)


@settings(max_examples=40, deadline=None)
@given(
    target=st.lists(st.integers(0, 1), min_size=2, max_size=200),
    seed=st.integers(0, 1000),
)
def test_metrics_stay_within_their_ranges(target, seed):
    y = np.array(target)
    score = np.random.default_rng(seed).random(len(y))
    out = compute_metrics(y, score)
    for name in METRIC_NAMES[:8]:
        assert math.isnan(out[name]) or 0 <= out[name] <= 1
    assert out["count"] == len(y) and out["positives"] == y.sum()


def test_bootstrap_intervals_bracket_the_figure_and_shrink_with_more_accounts():
    rng = np.random.default_rng(3)

    def width(accounts: int) -> tuple[float, float, float]:
        target = (rng.random(accounts) < 0.2).astype(int)
        score = (target * 0.3 + rng.random(accounts)) / 1.3
        groups = np.arange(accounts)
        low, high = bootstrap_intervals(target, score, groups)["roc_auc"]
        return low, compute_metrics(target, score)["roc_auc"], high

    small, large = width(200), width(5000)
    assert small[0] < small[1] < small[2] and large[0] < large[1] < large[2]
    assert large[2] - large[0] < (small[2] - small[0]) / 2


def test_bootstrap_resamples_whole_accounts():
    # Ten accounts, each repeated 50 times: the rows are not 500 independent draws, so the
    # interval must be as wide as for the ten accounts alone.
    target = np.array([0, 1] * 5)
    score = np.random.default_rng(0).random(10)
    alone = bootstrap_intervals(target, score, np.arange(10))["roc_auc"]
    repeated = bootstrap_intervals(
        np.repeat(target, 50), np.repeat(score, 50), np.repeat(np.arange(10), 50)
    )["roc_auc"]
    assert repeated == pytest.approx(alone)


def test_bootstrap_with_one_class_gives_nan_bounds():
    bounds = bootstrap_intervals(np.zeros(5), np.arange(5.0), np.arange(5))
    assert all(math.isnan(v) for pair in bounds.values() for v in pair)
