"""The model card: a markdown summary logged with every trained model (see models/README.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from string import Template

import pandas as pd

from features import FEATURE_NAMES
from training.steps.metrics import bootstrap_intervals

CARD_TEMPLATE = Template(
    """# provider-risk model card

**Purpose.** Probability that a Stripe Connect provider is closed for risk (fraud,
unrecoverable negative balance, excessive disputes, sanctions) within $horizon days of a
snapshot. Scores feed the service's risk bands and policy; they are not a decision on their own.

| | |
| --- | --- |
| dataset | `$dataset` (sha256 `$digest`) |
| feature registry | `$registry` ($registered features) |
| booster learns from | $features features: $feature_set |
| horizon | $horizon days |
| calibration | $calibration on the calibration split |
| snapshots train / calibration / test | $sizes |
| positives train / calibration / test | $positives |
| as_of train / calibration / test | $periods |
| test period starts | $test_start; train and calibration snapshots' horizons end by then |

## Test split (held-out accounts, latest period)

| scorer | ROC-AUC | PR-AUC | recall@1%FPR | recall@5%FPR | prec@top1% | prec@top5% | Brier | ECE |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
$overall

$intervals

| scorer | phase | snapshots | positives | ROC-AUC | recall@5%FPR |
| --- | --- | --- | --- | --- | --- |
$phases

Per-segment figures: `evaluation/segments.csv`. The rules baseline (training/rules_baseline.py)
scores points, not probabilities, so its Brier and ECE only show it is uncalibrated.

## Top features (mean |contribution|)

$importance

## What this card does not know

- The figures above are one test split of one dataset: held-out accounts of the same
  population, in its latest period. With $test_positives test positives, recall@5%FPR moves in
  steps of about $step; the intervals show how far another draw of accounts could move it.
- A later period and another platform's data are not measured here. Measure them with
  `connect-risk evaluate --data DIR --model-uri ...` (a temporal holdout such as
  `connect-risk generate --start` shifted, or a platform's own export); that run logs the model
  and the rules baseline side by side.
- Calibration fits this dataset's base rate. On a platform with another base rate the scores
  still rank, but are probabilities only after recalibration on its outcomes.
- Onboarding snapshots (no transactions yet) rest on the account and its documents only and
  rank worse than later ones; see the phase rows above.
- Snapshots whose horizon runs past the end of observation are left out whatever their
  label (right-censoring), so the latest horizon of data and the youngest accounts are
  under-represented.
- Segments with few positives have wide uncertainty; see the counts in `segments.csv`.
"""
)

_COLUMNS = (
    "roc_auc",
    "pr_auc",
    "recall_at_1fpr",
    "recall_at_5fpr",
    "precision_at_top1",
    "precision_at_top5",
    "brier",
    "ece",
)


_LABELS = {"roc_auc": "ROC-AUC", "recall_at_5fpr": "recall@5%FPR"}
_FEATURE_SETS = {
    "directional": "those with a stated risk direction",
    "all": "every registered feature",
}


@dataclass(frozen=True)
class CardFacts:
    """What the card states about one training run."""

    dataset: str
    digest: str
    registry_version: str
    feature_count: int
    horizon_days: int
    calibration: str
    split_sizes: Mapping[str, int]
    split_positives: Mapping[str, int]
    feature_set: str = "directional"
    test_start: str = "not recorded"
    periods: Mapping[str, str] = field(default_factory=dict)


def _intervals(test: pd.DataFrame | None) -> str:
    if test is None:
        return "Intervals: not computed (no scored test snapshots given)."
    lines = []
    for scorer, column in (("model", "score"), ("rules", "rules")):
        if column not in test.columns:
            continue
        bounds = bootstrap_intervals(
            test["target"].to_numpy(), test[column].to_numpy(), test["account"].to_numpy()
        )
        text = ", ".join(
            f"{_LABELS[name]} [{low:.3f}, {high:.3f}]" for name, (low, high) in bounds.items()
        )
        lines.append(f"- {scorer}: {text}")
    return "90% intervals, accounts resampled 200 times:\n\n" + "\n".join(lines)


def _phases(table: pd.DataFrame) -> str:
    rows = table[table["segment"] == "phase"]
    return "\n".join(
        f"| {r['scorer']} | {r['value']} | {int(r['count'])} | {int(r['positives'])} | "
        f"{r['roc_auc']:.3f} | {r['recall_at_5fpr']:.3f} |"
        for _, r in rows.iterrows()
    )


def render_card(
    facts: CardFacts,
    table: pd.DataFrame,
    importance: pd.Series,
    test: pd.DataFrame | None = None,
) -> str:
    """The model card markdown for one run.

    Args:
        facts: dataset, registry and split facts.
        table: the `evaluate_scores` table of the test split.
        importance: mean |contribution| per feature, largest first.
        test: the scored test snapshots (account, target, score, rules), for the intervals.

    Returns:
        Markdown text.
    """
    overall = table[table["segment"] == "all"]
    lines = [
        "| " + " | ".join([row["scorer"], *(f"{row[c]:.3f}" for c in _COLUMNS)]) + " |"
        for _, row in overall.iterrows()
    ]
    top = [
        f"{i}. `{name}` ({value:.3f})"
        for i, (name, value) in enumerate(importance.head(10).items(), 1)
    ]
    return CARD_TEMPLATE.substitute(
        horizon=facts.horizon_days,
        dataset=facts.dataset,
        digest=facts.digest[:16],
        registry=facts.registry_version,
        features=facts.feature_count,
        calibration=facts.calibration,
        sizes=" / ".join(str(facts.split_sizes[s]) for s in ("train", "calibration", "test")),
        positives=" / ".join(
            str(facts.split_positives[s]) for s in ("train", "calibration", "test")
        ),
        overall="\n".join(lines),
        importance="\n".join(top),
        registered=len(FEATURE_NAMES),
        feature_set=_FEATURE_SETS.get(facts.feature_set, facts.feature_set),
        intervals=_intervals(test),
        phases=_phases(table),
        periods=" / ".join(facts.periods.get(s, "?") for s in ("train", "calibration", "test")),
        test_start=facts.test_start,
        test_positives=facts.split_positives["test"],
        step=f"{1 / max(1, facts.split_positives['test']):.3f}",
    )
