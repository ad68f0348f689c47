"""Draw refunds and disputes against a provider's succeeded charges.

Both always follow their charge. Dispute statuses are as of the export (the window's end):
young disputes still await a response or a decision, older ones are won or lost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from training.synth.charges import Charges
from training.synth.config import DAY, World
from training.synth.provider import ProviderPlan

DISPUTE_STATUSES = ("needs_response", "under_review", "won", "lost")


@dataclass(frozen=True)
class Reversals:
    """Refunds or disputes: each row points at the charge (`source`) it reverses."""

    source: np.ndarray  # int64 index into the provider's charges
    created: np.ndarray  # int64
    amount: np.ndarray  # int64
    status: np.ndarray  # int8: refunds 0 succeeded / 1 failed; disputes index of DISPUTE_STATUSES

    def __len__(self) -> int:
        return len(self.created)


def _cut(
    rows: np.ndarray, created: np.ndarray, amount: np.ndarray, status: np.ndarray, stop: int
) -> Reversals:
    keep = created < stop
    return Reversals(rows[keep], created[keep], amount[keep], status[keep].astype(np.int8))


def draw_refunds(
    plan: ProviderPlan, charges: Charges, world: World, rng: np.random.Generator
) -> Reversals:
    """Refunds after their charge: honest ones within weeks, abusive ones fast and in full."""
    t, s = plan.traits, plan.scheme
    n = len(charges)
    rate = np.full(n, t.refund_rate)
    abusive = np.zeros(n, bool)
    if s is not None and s.refund_rate > 0:
        abusive = charges.created >= s.starts_at
        rate = np.where(abusive, np.maximum(rate, s.refund_rate), rate)
    rows = np.flatnonzero((charges.failure < 0) & (rng.random(n) < rate))
    abusive = abusive[rows]
    m = len(rows)
    delay = np.where(
        abusive,
        rng.uniform(600, 2 * DAY, m),
        np.clip(rng.lognormal(np.log(3 * DAY), 1.0, m), 300, 60 * DAY),
    )
    charged = charges.amount[rows]
    full = rng.random(m) < np.where(abusive, 0.9, 0.7)
    partial = np.maximum(1, np.floor(charged * rng.uniform(0.2, 0.9, m)))
    amount = np.where(full, charged, np.minimum(partial, charged)).astype(np.int64)
    status = (rng.random(m) < 0.02).astype(np.int8)
    created = charges.created[rows] + delay.astype(np.int64)
    return _cut(rows, created, amount, status, min(plan.outcome.stops_at, world.end))


def draw_disputes(
    plan: ProviderPlan,
    charges: Charges,
    refunded: np.ndarray,
    world: World,
    rng: np.random.Generator,
) -> Reversals:
    """Disputes weeks after their charge; charges on stolen cards are disputed far more often."""
    t, s = plan.traits, plan.scheme
    n = len(charges)
    rate = np.full(n, t.dispute_rate)
    if s is not None:
        rate = np.where(charges.tainted, s.bad_dispute_rate, rate)
    eligible = (charges.failure < 0) & ~np.isin(np.arange(n), refunded)
    rows = np.flatnonzero(eligible & (rng.random(n) < rate))
    m = len(rows)
    delay = np.clip(rng.lognormal(np.log(18 * DAY), 0.6, m), 2 * DAY, 110 * DAY)
    created = charges.created[rows] + delay.astype(np.int64)
    age = world.end - created
    tainted = charges.tainted[rows]
    lost = rng.random(m) < np.where(tainted, 0.85, t.dispute_loss)
    decided = np.where(lost, 3, 2)
    review_ends = 7 * DAY + rng.uniform(10, 60, m) * DAY
    waiting = np.where(rng.random(m) < 0.8, 0, 1)
    status = np.where(age < 7 * DAY, waiting, np.where(age < review_ends, 1, decided))
    return _cut(rows, created, charges.amount[rows], status, min(plan.outcome.stops_at, world.end))
