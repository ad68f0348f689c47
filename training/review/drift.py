"""Population stability index (PSI): how far a later population has moved from a base one.

Bins are the base population's quantiles (so every feature, whatever its scale, gets bins of
roughly equal base mass), missing values form a bin of their own (a feature that stops being
observed is drift too), and empty bins get a small floor so the logarithm stays finite.
Conventional reading: below 0.1 stable, 0.1 to 0.25 moderate, above 0.25 major.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

MODERATE = 0.1
MAJOR = 0.25
FLOOR = 1e-4  # share given to an empty bin: keeps ln(a/e) finite without dominating the sum


def bin_edges(base: np.ndarray, bins: int = 10) -> np.ndarray:
    """Cut points: each distinct base value when there are at most `bins` of them (a flag or
    a count keeps one bin per value), else the base's distinct quantiles (values observed in
    the base, so ties are never split)."""
    if bins < 2:
        raise ValueError(f"bins must be at least 2, got {bins}")
    values = np.asarray(base, dtype=np.float64)
    values = values[~np.isnan(values)]
    distinct = np.unique(values)
    if distinct.size <= bins:
        return distinct
    cuts = np.quantile(values, np.linspace(0, 1, bins + 1)[1:-1], method="inverted_cdf")
    return np.unique(cuts)


def bin_shares(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Share of `values` in each bin of `edges` (a value equal to a cut goes up), with the
    share of missing values last."""
    data = np.asarray(values, dtype=np.float64)
    missing = np.isnan(data)
    index = np.searchsorted(edges, data[~missing], side="right")
    counts = np.bincount(index, minlength=edges.size + 1).astype(np.float64)
    counts = np.append(counts, missing.sum())
    return counts / max(data.size, 1)


def psi(base: np.ndarray, later: np.ndarray, bins: int = 10) -> float:
    """Population stability index of `later` against `base` (0 when identical, grows with
    the shift; never negative)."""
    if np.asarray(base).size == 0 or np.asarray(later).size == 0:
        raise ValueError("both populations need at least one value")
    edges = bin_edges(base, bins)
    expected = np.maximum(bin_shares(base, edges), FLOOR)
    actual = np.maximum(bin_shares(later, edges), FLOOR)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def verdict(value: float) -> str:
    """ "stable", "moderate" or "major", by the conventional PSI thresholds."""
    if value < MODERATE:
        return "stable"
    return "moderate" if value < MAJOR else "major"


def psi_table(
    base: pd.DataFrame, later: pd.DataFrame, columns: Sequence[str], bins: int = 10
) -> pd.DataFrame:
    """PSI of each column of `later` against `base`, largest first.

    Returns:
        A new frame: column, psi, verdict, base and later median, base and later share missing.
    """
    rows = []
    for name in columns:
        before = base[name].to_numpy(dtype=np.float64)
        after = later[name].to_numpy(dtype=np.float64)
        value = psi(before, after, bins)
        rows.append(
            {
                "column": name,
                "psi": value,
                "verdict": verdict(value),
                "base_median": _median(before),
                "later_median": _median(after),
                "base_missing": float(np.isnan(before).mean()),
                "later_missing": float(np.isnan(after).mean()),
            }
        )
    table = pd.DataFrame(rows, columns=list(_COLUMNS))
    return table.sort_values("psi", ascending=False, kind="stable", ignore_index=True)


_COLUMNS = (
    "column",
    "psi",
    "verdict",
    "base_median",
    "later_median",
    "base_missing",
    "later_missing",
)


def _median(values: np.ndarray) -> float:
    present = values[~np.isnan(values)]
    return float(np.median(present)) if present.size else float("nan")


def save_review(
    folder: Path, table: pd.DataFrame, figures: Mapping[str, bytes], compared: Sequence[str]
) -> Path:
    """Write a drift review where it outlives the notebook's session: the PSI table as CSV,
    each figure as PNG and the two populations compared; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    table.to_csv(folder / "psi.csv", index=False)
    for name, png in figures.items():
        (folder / name).write_bytes(png)
    (folder / "compared.txt").write_text("\n".join(compared) + "\n", "utf-8")
    return folder
