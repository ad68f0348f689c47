"""Small figures for the notebooks, drawn on matplotlib's Agg canvas (no pyplot state, so
they render headless) and returned as PNG bytes for `IPython.display.Image`."""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from training.review.drift import MAJOR, MODERATE


def _figure(width: float = 6, height: float = 3.5) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def to_png(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def bar_png(series: pd.Series, title: str, ylabel: str) -> bytes:
    """A bar per index value of `series`."""
    figure, ax = _figure()
    ax.bar([str(i) for i in series.index], series.to_numpy(dtype=np.float64))
    ax.set(title=title, ylabel=ylabel)
    ax.tick_params(axis="x", labelrotation=45)
    return to_png(figure)


def lines_png(frame: pd.DataFrame, title: str, ylabel: str) -> bytes:
    """A line per column of `frame` over its index (for example months)."""
    figure, ax = _figure()
    labels = [str(i) for i in frame.index]
    for column in frame.columns:
        ax.plot(labels, frame[column].to_numpy(dtype=np.float64), marker=".", label=str(column))
    ax.set(title=title, ylabel=ylabel)
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(fontsize="small")
    return to_png(figure)


def histograms_png(
    values: Mapping[str, np.ndarray], title: str, xlabel: str, *, log_x: bool = False
) -> bytes:
    """Overlaid histograms (share of each sample per bin) on shared bins, log-spaced when
    `log_x` (non-positive values are left out there)."""
    figure, ax = _figure()
    samples = {k: np.asarray(v, dtype=np.float64) for k, v in values.items()}
    samples = {k: v[np.isfinite(v) & ((v > 0) if log_x else True)] for k, v in samples.items()}
    pooled = np.concatenate([v for v in samples.values() if v.size] or [np.zeros(1)])
    low, high = float(pooled.min()), float(pooled.max())
    if high <= low:
        high = low + 1.0
    edges = np.geomspace(low, high, 40) if log_x and low > 0 else np.linspace(low, high, 40)
    bins = [float(e) for e in edges]
    for name, sample in samples.items():
        if sample.size:
            # Shares per bin, not densities: comparable across sizes and on log-spaced bins.
            weights = np.full(sample.size, 1.0 / sample.size)
            ax.hist(sample, bins=bins, weights=weights, histtype="step", label=name)
    if log_x:
        ax.set_xscale("log")
    ax.set(title=title, xlabel=xlabel, ylabel="share of rows")
    ax.legend(fontsize="small")
    return to_png(figure)


def psi_png(table: pd.DataFrame, top: int = 15) -> bytes:
    """The `top` largest PSI values of a `psi_table` as horizontal bars, with the moderate and
    major thresholds marked."""
    head = table.head(top).iloc[::-1]
    figure, ax = _figure(6, max(2.5, 0.3 * len(head) + 1))
    ax.barh(head["column"].astype(str), head["psi"].to_numpy(dtype=np.float64))
    for threshold, style in ((MODERATE, ":"), (MAJOR, "--")):
        ax.axvline(threshold, color="grey", linestyle=style)
    ax.set(title="population stability index (largest)", xlabel="PSI")
    return to_png(figure)
