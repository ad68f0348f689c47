"""Per-segment evaluation tables: the long `evaluation/segments.csv` of a training run, turned
into one row per segment value with the model's and the rules baseline's figures side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from training.steps.metrics import METRIC_NAMES

DEFAULT_METRICS = ("roc_auc", "recall_at_5fpr", "pr_auc", "ece")
MIN_POSITIVES = 10  # below this a segment's ranking metrics are too noisy to act on


def segment_table(
    table: pd.DataFrame,
    metrics: Sequence[str] = DEFAULT_METRICS,
    scorers: Sequence[str] = ("model", "rules"),
) -> pd.DataFrame:
    """One row per (segment, value): count, positives, then `metric_scorer` columns, and
    `thin` when the segment has fewer than MIN_POSITIVES positives.

    Args:
        table: the long table `evaluate_scores` writes (scorer, segment, value, metrics...).
        metrics: which metrics to show.
        scorers: which scorers to show, in that order.
    """
    missing = [m for m in (*metrics, "count", "positives") if m not in table.columns]
    if missing:
        raise KeyError(f"segment table lacks columns: {', '.join(missing)}")
    keys = ["segment", "value"]
    first = table[table["scorer"] == scorers[0]]
    wide = first[[*keys, "count", "positives"]].reset_index(drop=True)
    for scorer in scorers:
        part = table.loc[table["scorer"] == scorer, [*keys, *metrics]]
        part = part.rename(columns={m: f"{m}_{scorer}" for m in metrics})
        wide = wide.merge(part, on=keys, how="left")
    ordered = [*keys, "count", "positives"]
    ordered += [f"{m}_{s}" for m in metrics for s in scorers]
    wide = wide[ordered].astype({"count": "int64", "positives": "int64"})
    return wide.assign(thin=wide["positives"] < MIN_POSITIVES)


def metrics_table(metrics: Mapping[str, float]) -> pd.DataFrame:
    """A training run's logged test metrics as rows, the model (`test_*`) beside the rules
    baseline (`rules_test_*`)."""
    model = {k.removeprefix("test_"): v for k, v in metrics.items() if k.startswith("test_")}
    rules = {
        k.removeprefix("rules_test_"): v for k, v in metrics.items() if k.startswith("rules_test_")
    }
    order = {name: i for i, name in enumerate(METRIC_NAMES)}
    names = sorted(model, key=lambda n: (order.get(n, len(order)), n))
    return pd.DataFrame(
        {
            "model": [model[n] for n in names],
            "rules": [rules.get(n, float("nan")) for n in names],
        },
        index=pd.Index(names, name="metric"),
    )
