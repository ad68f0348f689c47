"""The model card: a markdown summary logged with every trained model (see models/README.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from string import Template

import pandas as pd

CARD_TEMPLATE = Template(
    """# provider-risk model card

**Purpose.** Probability that a Stripe Connect provider is closed for risk (fraud,
unrecoverable negative balance, excessive disputes, sanctions) within $horizon days of a
snapshot. Scores feed the service's risk bands and policy; they are not a decision on their own.

| | |
| --- | --- |
| dataset | `$dataset` (sha256 `$digest`) |
| feature registry | `$registry` ($features features) |
| horizon | $horizon days |
| calibration | $calibration on the calibration split |
| snapshots train / calibration / test | $sizes |
| positives train / calibration / test | $positives |

## Test split (held-out accounts, latest period)

| scorer | ROC-AUC | PR-AUC | recall@1%FPR | recall@5%FPR | prec@top1% | prec@top5% | Brier | ECE |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
$overall

Per-segment figures: `evaluation/segments.csv`. The rules baseline (training/rules_baseline.py)
scores points, not probabilities, so its Brier and ECE only show it is uncalibrated.

## Top features (mean |contribution|)

$importance

## Limits

- Trained on the dataset above only; a platform with other providers or other fraud needs its
  own training run and this card's figures re-measured.
- Label-0 snapshots near the end of observation may still close later (right-censoring).
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


def render_card(facts: CardFacts, table: pd.DataFrame, importance: pd.Series) -> str:
    """The model card markdown for one run.

    Args:
        facts: dataset, registry and split facts.
        table: the `evaluate_scores` table of the test split.
        importance: mean |contribution| per feature, largest first.

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
    )
