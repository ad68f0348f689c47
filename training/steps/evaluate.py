"""Evaluate scores on the test split, overall and per segment (country, business type, phase)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from training.steps.metrics import compute_metrics

SEGMENT_KEYS = ("country", "business_type", "phase")


def segment_columns(
    snapshots: pd.DataFrame, accounts: Mapping[str, Mapping[str, Any]]
) -> pd.DataFrame:
    """country, business_type (from each Account object; "unknown" when absent) and phase
    ("onboarding" for an account's first snapshot, else "later"), one row per snapshot.

    Args:
        snapshots: account plus a boolean `onboarding` column.
        accounts: Account objects by id.

    Returns:
        A new frame with the three segment columns, aligned with `snapshots`.
    """
    ids = snapshots["account"].astype(str)
    return pd.DataFrame(
        {
            "country": [str(accounts[a].get("country") or "unknown") for a in ids],
            "business_type": [str(accounts[a].get("business_type") or "unknown") for a in ids],
            "phase": snapshots["onboarding"].map({True: "onboarding", False: "later"}).to_numpy(),
        },
        index=snapshots.index,
    )


def evaluate_scores(
    target: pd.Series, scores: Mapping[str, pd.Series], segments: pd.DataFrame
) -> pd.DataFrame:
    """A long table of metrics for each scorer, overall and per segment value.

    Args:
        target: 0/1 outcomes of the evaluated snapshots.
        scores: scorer name ("model", "rules", ...) -> scores aligned with `target`.
        segments: segment columns aligned with `target` (see `segment_columns`).

    Returns:
        A new frame with columns scorer, segment, value, then every metric; segment "all"
        holds the overall figures.
    """
    rows: list[dict[str, Any]] = []
    for name, score in scores.items():
        rows.append({"scorer": name, "segment": "all", "value": "all"} | _metrics(target, score))
        for key in SEGMENT_KEYS:
            for value, index in segments.groupby(key, sort=True).groups.items():
                part = _metrics(target.loc[index], score.loc[index])
                rows.append({"scorer": name, "segment": key, "value": str(value)} | part)
    return pd.DataFrame(rows)


def _metrics(target: pd.Series, score: pd.Series) -> dict[str, float]:
    return compute_metrics(target.to_numpy(), score.to_numpy())


def overall(table: pd.DataFrame, scorer: str) -> dict[str, float]:
    """The overall metrics of one scorer from an `evaluate_scores` table."""
    row = table[(table["scorer"] == scorer) & (table["segment"] == "all")]
    if row.empty:
        raise KeyError(f"no overall metrics for scorer {scorer!r}")
    return {k: float(v) for k, v in row.iloc[0].items() if k not in ("scorer", "segment", "value")}
