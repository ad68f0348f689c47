"""Ranking and calibration metrics of one set of scores against 0/1 targets."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score, roc_curve

METRIC_NAMES = (
    "roc_auc",
    "pr_auc",
    "recall_at_1fpr",
    "recall_at_5fpr",
    "precision_at_top1",
    "precision_at_top5",
    "brier",
    "ece",
    "positives",
    "count",
)


def recall_at_fpr(
    target: np.ndarray, score: np.ndarray, fpr: float, weight: np.ndarray | None = None
) -> float:
    """The largest true-positive rate reachable with a false-positive rate at most `fpr`
    (rows weighted by `weight` when given)."""
    false_rate, true_rate, _ = roc_curve(target, score, sample_weight=weight)
    return float(true_rate[false_rate <= fpr].max())


INTERVAL_METRICS = ("roc_auc", "recall_at_5fpr")


def bootstrap_intervals(
    target: np.ndarray,
    score: np.ndarray,
    groups: np.ndarray,
    *,
    rounds: int = 200,
    level: float = 0.9,
    seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """Percentile intervals of ROC-AUC and recall@5%FPR over resamples of whole groups.

    Snapshots of one account are not independent, so accounts (`groups`) are resampled, each
    drawn account bringing all its rows. The interval says how far the figure could move on
    another draw of accounts from the same population, nothing about other populations.
    NaN bounds when a class is missing.
    """
    target = np.asarray(target, dtype=np.int64)
    score = np.asarray(score, dtype=np.float64)
    codes, uniques = pd.factorize(pd.Series(groups))
    if len(np.unique(target)) < 2:
        return dict.fromkeys(INTERVAL_METRICS, (math.nan, math.nan))
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {name: [] for name in INTERVAL_METRICS}
    for _ in range(rounds):
        weight = np.bincount(rng.integers(0, len(uniques), len(uniques)), minlength=len(uniques))
        rows = weight[codes].astype(np.float64)
        kept = rows > 0
        if len(np.unique(target[kept])) < 2:
            continue
        draws["roc_auc"].append(
            float(roc_auc_score(target[kept], score[kept], sample_weight=rows[kept]))
        )
        draws["recall_at_5fpr"].append(recall_at_fpr(target[kept], score[kept], 0.05, rows[kept]))
    tail = (1 - level) / 2 * 100
    return {
        name: (float(np.percentile(v, tail)), float(np.percentile(v, 100 - tail)))
        if v
        else (math.nan, math.nan)
        for name, v in draws.items()
    }


def precision_at_top(target: np.ndarray, score: np.ndarray, share: float) -> float:
    """Precision among the highest-scored `share` of rows (at least one row)."""
    k = max(1, math.ceil(share * len(score)))
    top = np.argsort(-score, kind="stable")[:k]
    return float(np.mean(target[top]))


def quantile_bins(score: np.ndarray, bins: int = 10) -> list[np.ndarray]:
    """Row indices of up to `bins` equal-count score bins, lowest scores first.

    Equal-count, not equal-width: risk scores crowd near 0, and ten equal-width bins on [0, 1]
    put nearly every score into the first one. Bins are cut at order statistics and rows are
    assigned by value, so equal scores always share a bin (ties merge bins rather than split a
    group of identical scores, which would invent a calibration error).
    """
    score = np.asarray(score, dtype=np.float64)
    count = min(bins, len(score))
    if count == 0:
        return []
    cuts = np.sort(score)[(np.arange(1, count) * len(score)) // count]
    which = np.searchsorted(cuts, score, side="right")
    return [rows for b in range(count) if len(rows := np.flatnonzero(which == b))]


def expected_calibration_error(target: np.ndarray, score: np.ndarray, bins: int = 10) -> float:
    """Mean |observed rate - mean score| over equal-count score bins, weighted by bin size.

    With equal-width bins on [0, 1] a model whose scores all stay below 0.1 has one bin, and
    ECE degenerates to |base rate - mean score|: a model over-predicting 4x at a 1% base rate
    scored 0.03. Equal-count bins compare it with the observed rate along its own range.
    """
    target = np.asarray(target, dtype=np.float64)
    score = np.asarray(score, dtype=np.float64)
    total = sum(
        len(rows) * abs(target[rows].mean() - score[rows].mean())
        for rows in quantile_bins(score, bins)
    )
    return float(total / len(score))


def compute_metrics(target: np.ndarray, score: np.ndarray) -> dict[str, float]:
    """Every metric of METRIC_NAMES; ranking metrics are NaN when only one class is present.

    Args:
        target: 0/1 outcomes.
        score: scores in [0, 1] (probabilities for the model, scaled points for rules).

    Returns:
        Metric name -> value.
    """
    target = np.asarray(target, dtype=np.int64)
    score = np.asarray(score, dtype=np.float64)
    if len(target) == 0:
        raise ValueError("no rows to evaluate")
    out = {
        "brier": float(brier_score_loss(target, score)),
        "ece": expected_calibration_error(target, score),
        "positives": float(target.sum()),
        "count": float(len(target)),
    }
    if len(np.unique(target)) < 2:
        ranking = dict.fromkeys((n for n in METRIC_NAMES if n not in out), float("nan"))
        return {name: {**out, **ranking}[name] for name in METRIC_NAMES}
    out |= {
        "roc_auc": float(roc_auc_score(target, score)),
        "pr_auc": float(average_precision_score(target, score)),
        "recall_at_1fpr": recall_at_fpr(target, score, 0.01),
        "recall_at_5fpr": recall_at_fpr(target, score, 0.05),
        "precision_at_top1": precision_at_top(target, score, 0.01),
        "precision_at_top5": precision_at_top(target, score, 0.05),
    }
    return {name: out[name] for name in METRIC_NAMES}
