"""The promotion gate: does the challenger replace the champion (or, first, beat the rules)?"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class GateConfig:
    """Which metric decides, by how much the challenger must win, and how much worse its
    expected calibration error may be, as a fraction of the holdout's positive rate.

    The ECE tolerance is relative because an absolute one means nothing at a low base rate:
    at 1% positives a model over-predicting 4x is off by 0.03 everywhere, within any
    absolute tolerance that also lets through honest noise at 10%. The default 0.5 lets a
    challenger's ECE exceed the champion's by half the positive rate; on simulated holdouts of
    700-5,000 snapshots at 1-2% positives two calibrated models differ by at most about 0.3
    of it (95th percentile) and a 4x over-predicting one by about 1-2 of it.

    `min_positives` is the fewest positive holdout snapshots on which two models count as
    separable. One positive moves recall by 1/positives and ROC-AUC by up to as much, so below
    50 a single positive moves them by more than the default margin of 0.02: a "win" could be
    one account. A challenger is never moved over a champion on fewer; with no champion the
    service has no model at all, so a first model that beats the rules is still promoted, and
    the reason says how little the holdout could tell.
    """

    metric: str = "recall_at_5fpr"
    margin: float = 0.02
    ece_tolerance: float = 0.5
    min_positives: int = 50


@dataclass(frozen=True)
class Decision:
    """Whether to move `champion` to the challenger, and why, in one sentence; `too_few`
    says the holdout had fewer positives than `GateConfig.min_positives`."""

    promote: bool
    reason: str
    challenger: float
    incumbent: float
    incumbent_kind: str  # "champion" or "rules"
    too_few: bool = False


def decide(
    challenger: Mapping[str, float],
    champion: Mapping[str, float] | None,
    rules: Mapping[str, float],
    config: GateConfig = GateConfig(),
) -> Decision:
    """Compare metrics measured on the same holdout.

    A holdout with fewer than `config.min_positives` positives cannot separate two models: a
    champion is then kept whatever the figures; with no champion the rules comparison still
    decides and the reason notes the small holdout.

    With a champion, the challenger must beat it on `config.metric` by `config.margin` and
    have an ECE no more than `config.ece_tolerance` x the holdout's positive rate above the
    champion's (ECE over equal-count bins, `metrics.expected_calibration_error`). Without one, the
    challenger must beat the rules baseline by the margin. A tie never promotes; only a
    negative margin (a deliberate "may be this much worse") lets a challenger that is not
    better through.

    Args:
        challenger: the challenger's overall metrics (with `positives` and `count`).
        champion: the champion's, or None when there is no champion yet.
        rules: the rules baseline's.
        config: metric, margin and ECE tolerance.

    Returns:
        The Decision.
    """
    metric = config.metric
    kind, incumbent = ("champion", champion) if champion is not None else ("rules", rules)
    if metric not in challenger or metric not in incumbent:
        raise KeyError(f"unknown metric {metric!r}")
    ours, theirs = float(challenger[metric]), float(incumbent[metric])
    positives = int(challenger["positives"])
    if positives < config.min_positives:
        small = (
            f"the holdout has {positives} positive snapshots, fewer than the "
            f"{config.min_positives} needed to separate two models (one positive moves "
            f"{metric} by up to {1 / max(positives, 1):.3f})"
        )
        if champion is not None:
            return Decision(False, f"{small}: champion kept", ours, theirs, kind, too_few=True)
        first = decide(challenger, None, rules, replace(config, min_positives=0))
        return replace(first, reason=f"{first.reason}; but {small}", too_few=True)
    if math.isnan(ours):
        return Decision(
            False, f"challenger {metric} is undefined on the holdout", ours, theirs, kind
        )
    needed = theirs + config.margin if not math.isnan(theirs) else -math.inf
    if ours < needed or (config.margin >= 0 and ours == theirs):
        return Decision(
            False,
            f"challenger {metric} {ours:.4f} does not beat {kind} {theirs:.4f} "
            f"by the margin {config.margin}",
            ours,
            theirs,
            kind,
        )
    if champion is not None:
        ece_ours, ece_theirs = float(challenger["ece"]), float(champion["ece"])
        rate = float(challenger["positives"]) / float(challenger["count"])
        if ece_ours > ece_theirs + config.ece_tolerance * rate:
            return Decision(
                False,
                f"challenger {metric} {ours:.4f} beats champion {theirs:.4f}, but its ECE "
                f"{ece_ours:.4f} exceeds the champion's {ece_theirs:.4f} by more than "
                f"{config.ece_tolerance} x the holdout's positive rate {rate:.4f}",
                ours,
                theirs,
                kind,
            )
    if config.margin >= 0:
        reason = (
            f"challenger {metric} {ours:.4f} beats {kind} {theirs:.4f} by at least {config.margin}"
        )
    else:
        reason = (
            f"challenger {metric} {ours:.4f} is within {-config.margin} of {kind} {theirs:.4f} "
            f"(margin {config.margin})"
        )
    return Decision(True, reason, ours, theirs, kind)
