"""The promotion gate: does the challenger replace the champion (or, first, beat the rules)?"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class GateConfig:
    """Which metric decides, by how much the challenger must win, and how much worse its
    expected calibration error may be."""

    metric: str = "recall_at_5fpr"
    margin: float = 0.02
    ece_tolerance: float = 0.02


@dataclass(frozen=True)
class Decision:
    """Whether to move `champion` to the challenger, and why, in one sentence."""

    promote: bool
    reason: str
    challenger: float
    incumbent: float
    incumbent_kind: str  # "champion" or "rules"


def decide(
    challenger: Mapping[str, float],
    champion: Mapping[str, float] | None,
    rules: Mapping[str, float],
    config: GateConfig = GateConfig(),
) -> Decision:
    """Compare metrics measured on the same holdout.

    With a champion, the challenger must beat it on `config.metric` by `config.margin` and
    have an ECE no more than `config.ece_tolerance` above the champion's. Without one, the
    challenger must beat the rules baseline by the margin. A tie never promotes; only a
    negative margin (a deliberate "may be this much worse") lets a challenger that is not
    better through.

    Args:
        challenger: the challenger's overall metrics.
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
        if ece_ours > ece_theirs + config.ece_tolerance:
            return Decision(
                False,
                f"challenger {metric} {ours:.4f} beats champion {theirs:.4f}, but its ECE "
                f"{ece_ours:.4f} exceeds the champion's {ece_theirs:.4f} by more than "
                f"{config.ece_tolerance}",
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
