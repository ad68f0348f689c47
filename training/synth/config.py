"""The generator's parameters and the fixed frame (time window, customer pool) they imply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from training.synth.countries import COUNTRIES
from training.synth.plan import Archetype

DAY = 86_400

# Share of all providers per bad archetype; together the default base rate of about 4%.
DEFAULT_ARCHETYPE_RATES: dict[Archetype, float] = {
    Archetype.FORGED_DOCUMENTS: 0.006,
    Archetype.BUST_OUT: 0.006,
    Archetype.CARD_TESTING: 0.005,
    Archetype.COLLUSION_RING: 0.006,
    Archetype.REFUND_ABUSE: 0.005,
    Archetype.INDUSTRY_MISREPRESENTATION: 0.006,
    Archetype.PAYOUT_ACCOUNT_RISK: 0.006,
}


@dataclass(frozen=True)
class GeneratorConfig:
    """Everything that decides a synthetic dataset; equal configs give byte-identical output."""

    accounts: int
    seed: int
    start: dt.date = dt.date(2025, 1, 1)
    days: int = 365
    archetype_rates: dict[Archetype, float] = field(
        default_factory=lambda: dict(DEFAULT_ARCHETYPE_RATES)
    )
    clean_onboarding_share: float = 1 / 3  # bad providers whose onboarding looks like a good one's
    good_closure_rate: float = 0.002  # honest providers closed for risk anyway (label noise)
    render_documents: bool = True

    def __post_init__(self) -> None:
        if self.accounts <= 0:
            raise ValueError(f"accounts must be positive, got {self.accounts}")
        if self.days <= 0:
            raise ValueError(f"days must be positive, got {self.days}")
        if self.seed < 0:
            raise ValueError(f"seed must be non-negative, got {self.seed}")
        total = sum(self.archetype_rates.values())
        if self.start.year < 1971:
            raise ValueError(f"start must be after 1970, got {self.start}")
        if not 0 <= total < 1 or Archetype.GOOD in self.archetype_rates:
            raise ValueError("archetype_rates must give bad archetypes a total share in [0, 1)")

    @property
    def entropy(self) -> tuple[int, int, int]:
        """What every random stream derives from: the seed and the window.

        The window is part of it so that a later window with the same seed (a temporal
        holdout) holds other providers, not the same ones shifted in time.
        """
        return (self.seed, self.start.toordinal(), self.days)


@dataclass(frozen=True)
class World:
    """The frame every provider shares: the observation window and the cardholder pool."""

    start: int  # Unix seconds, first second observed
    end: int  # Unix seconds, end of observation (exclusive); the export time
    salt: int  # mixes the seed into every hashed identifier
    pool_bounds: tuple[int, ...]  # cumulative cardholder count per country of COUNTRIES

    @property
    def pool_size(self) -> int:
        return self.pool_bounds[-1]

    @property
    def latest_signup(self) -> int:
        """Providers sign up early enough to be observed for a while before the window ends."""
        return self.end - min(14 * DAY, (self.end - self.start) // 4)


def make_world(config: GeneratorConfig) -> World:
    """Derive the shared frame from a config (no randomness: every worker derives the same)."""
    start = int(dt.datetime.combine(config.start, dt.time(), tzinfo=dt.UTC).timestamp())
    pool = max(20_000, 40 * config.accounts)
    weights = [c.card_weight for c in COUNTRIES]
    total = sum(weights)
    bounds, running = [], 0.0
    for w in weights:
        running += w / total
        bounds.append(round(running * pool))
    salt = int(np.random.SeedSequence(config.entropy).generate_state(1, np.uint64)[0] >> 16)
    return World(start, start + config.days * DAY, salt, tuple(bounds))
