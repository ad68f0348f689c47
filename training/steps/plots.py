"""Evaluation figures (ROC, precision-recall, calibration, score distribution, importance).

Figures are built on matplotlib's Agg canvas directly, never through pyplot's global state, so
they work headless and in parallel tests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.metrics import precision_recall_curve, roc_curve

from training.steps.metrics import quantile_bins


def _figure() -> tuple[Figure, Axes]:
    figure = Figure(figsize=(5, 4), dpi=100)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def roc_figure(target: np.ndarray, scores: dict[str, np.ndarray]) -> Figure:
    """ROC curves of each scorer on the same snapshots."""
    figure, ax = _figure()
    for name, score in scores.items():
        fpr, tpr, _ = roc_curve(target, score)
        ax.plot(fpr, tpr, label=name)
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey")
    ax.set(xlabel="false-positive rate", ylabel="recall", title="ROC (test)")
    ax.legend()
    return figure


def pr_figure(target: np.ndarray, scores: dict[str, np.ndarray]) -> Figure:
    """Precision-recall curves of each scorer."""
    figure, ax = _figure()
    for name, score in scores.items():
        precision, recall, _ = precision_recall_curve(target, score)
        ax.plot(recall, precision, label=name)
    ax.set(xlabel="recall", ylabel="precision", title="Precision-recall (test)")
    ax.legend()
    return figure


def calibration_figure(target: np.ndarray, score: np.ndarray, bins: int = 10) -> Figure:
    """Observed rate against mean score per equal-count bin (`metrics.quantile_bins`, as the
    ECE uses), sized by bin count, on axes cut to the range the points span: risk scores sit
    near 0, where a [0, 1] square would draw every point on top of the origin."""
    figure, ax = _figure()
    groups = quantile_bins(score, bins)
    means = np.array([score[rows].mean() for rows in groups])
    rates = np.array([target[rows].mean() for rows in groups])
    sizes = np.array([len(rows) for rows in groups])
    top = min(1.0, 1.1 * max(float(means.max()), float(rates.max()), 1e-3))
    ax.plot([0, top], [0, top], linestyle=":", color="grey")
    ax.scatter(means, rates, s=10 + 90 * np.sqrt(sizes / sizes.max()))
    ax.set(
        xlim=(0, top),
        ylim=(0, top),
        xlabel="mean score",
        ylabel="observed rate",
        title=f"Calibration (test, {len(groups)} equal-count bins)",
    )
    return figure


def distribution_figure(target: np.ndarray, score: np.ndarray) -> Figure:
    """Score histograms of each label, on a log count scale."""
    figure, ax = _figure()
    edges = np.linspace(0, 1, 41)
    for label, name in ((0, "label 0"), (1, "label 1")):
        ax.hist(score[target == label], bins=edges.tolist(), alpha=0.6, label=name, log=True)
    ax.set(xlabel="score", ylabel="snapshots", title="Scores by label (test)")
    ax.legend()
    return figure


def importance_figure(importance: pd.Series, top: int = 20) -> Figure:
    """The `top` features by mean |contribution|."""
    figure = Figure(figsize=(6, 6), dpi=100)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    shown = importance.sort_values(ascending=True).tail(top)
    ax.barh(list(shown.index), shown.to_numpy())
    ax.set(xlabel="mean |contribution| (log-odds)", title="Global feature importance")
    ax.tick_params(axis="y", labelsize=7)
    figure.tight_layout()
    return figure


def mean_abs_contribution(contributions: np.ndarray, names: tuple[str, ...]) -> pd.Series:
    """Mean |SHAP value| per feature, largest first."""
    values = np.abs(np.asarray(contributions)).mean(axis=0)
    return pd.Series(values, index=list(names)).sort_values(ascending=False)
