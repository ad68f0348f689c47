"""When the platform closes an account for risk, why, and which moments to score it at.

A bad provider is closed once its abuse has gone on long enough to be noticed (a delay after
its scheme starts, shorter for blatant ones); one noticed only after the window ends keeps
label 0, as undetected fraud does in real exports. A few honest providers are closed too.
"""

from __future__ import annotations

import numpy as np

from training.synth.choice import uniform, weighted_choice
from training.synth.config import DAY, World
from training.synth.plan import Archetype
from training.synth.provider import Outcome, ProviderSeed, Scheme

SNAPSHOT_EVERY = 30 * DAY
ONBOARDING_REVIEW = 600  # seconds after sign-up at which the onboarding snapshot is taken

# Median days from the start of the abuse to the platform closing the account.
DETECTION_DAYS: dict[Archetype, float] = {
    Archetype.FORGED_DOCUMENTS: 30,
    Archetype.BUST_OUT: 14,
    Archetype.CARD_TESTING: 6,
    Archetype.COLLUSION_RING: 40,
    Archetype.REFUND_ABUSE: 30,
    Archetype.INDUSTRY_MISREPRESENTATION: 60,
    Archetype.PAYOUT_ACCOUNT_RISK: 25,
    Archetype.GOOD: 120,
}

REASONS: dict[Archetype, dict[str, float]] = {
    Archetype.FORGED_DOCUMENTS: {"fraud": 0.85, "sanctions": 0.05, "negative_balance": 0.10},
    Archetype.BUST_OUT: {"negative_balance": 0.6, "fraud": 0.4},
    Archetype.CARD_TESTING: {"fraud": 0.9, "excessive_disputes": 0.1},
    Archetype.COLLUSION_RING: {"fraud": 0.8, "excessive_disputes": 0.2},
    Archetype.REFUND_ABUSE: {"negative_balance": 0.7, "fraud": 0.3},
    Archetype.INDUSTRY_MISREPRESENTATION: {"excessive_disputes": 0.6, "fraud": 0.4},
    Archetype.PAYOUT_ACCOUNT_RISK: {"fraud": 0.6, "negative_balance": 0.3, "sanctions": 0.1},
    Archetype.GOOD: {"fraud": 0.5, "excessive_disputes": 0.3, "sanctions": 0.2},
}


def draw_outcome(
    rng: np.random.Generator,
    seed: ProviderSeed,
    *,
    created: int,
    scheme: Scheme | None,
    world: World,
) -> Outcome:
    """Label, when it became known, the closure reason and when money stops moving."""
    closed_at: int | None = None
    if scheme is not None:
        delay = DETECTION_DAYS[seed.archetype] * rng.lognormal(0, 0.5)
        delay *= 1.4 - 0.8 * scheme.intensity
        closed_at = scheme.starts_at + int(max(1.0, delay) * DAY)
        if seed.ring >= 0:
            # Rings are uncovered together, once one member's pattern is traced.
            closed_at = max(created + DAY, seed.ring_detected) + int(uniform(rng, 0, 3) * DAY)
    elif seed.good_closure:
        # Closed some weeks into trading, mostly inside the window (some after it: censored).
        closed_at = created + int(
            uniform(rng, 20, max(21, 1.1 * (world.end - created) / DAY)) * DAY
        )
    if closed_at is None or closed_at >= world.end:
        return Outcome(label=0, labeled_at=world.end, reason="", stops_at=world.end)
    closed_at = max(closed_at, created + DAY)
    stops_at = min(world.end, closed_at + int(uniform(rng, 0, 3) * DAY))
    return Outcome(1, closed_at, weighted_choice(rng, REASONS[seed.archetype]), stops_at)


def snapshot_times(created: int, outcome: Outcome, world: World) -> list[int]:
    """The onboarding snapshot, then one every 30 days while the account is open and observed."""
    horizon = min(outcome.labeled_at, world.end)
    times = np.arange(created + ONBOARDING_REVIEW, horizon, SNAPSHOT_EVERY)
    return [int(t) for t in times]
