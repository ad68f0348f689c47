"""Marketplace-wide draws: which accounts are bad, how, and which ones are linked.

Everything that ties accounts together (collusion rings, shared payout bank accounts, the
share of bad providers that look clean at onboarding) is decided here, once, so workers can
then build each account independently.
"""

from __future__ import annotations

import numpy as np

from training.synth.choice import randint
from training.synth.config import DAY, GeneratorConfig, World
from training.synth.plan import Archetype
from training.synth.provider import ProviderSeed

RING_SIZES = (3, 7)  # members per collusion ring, inclusive-exclusive
SHARED_BANK_SHARE = {Archetype.PAYOUT_ACCOUNT_RISK: 0.45, Archetype.COLLUSION_RING: 0.4}
GOOD_SHARED_BANK_SHARE = 0.006  # honest owners running two shops from one bank account


def population_rng(config: GeneratorConfig) -> np.random.Generator:
    """The generator for marketplace-wide draws (independent of every account's own stream)."""
    return np.random.default_rng(np.random.SeedSequence(config.entropy, spawn_key=(0,)))


def _archetype_counts(config: GeneratorConfig, rng: np.random.Generator) -> dict[Archetype, int]:
    # Stochastic rounding keeps each count within one of its expectation, so even small
    # datasets carry every archetype at close to its configured rate.
    return {
        archetype: int(np.floor(config.accounts * rate + rng.random()))
        for archetype, rate in config.archetype_rates.items()
    }


def _rings(
    members: np.ndarray, world: World, rng: np.random.Generator
) -> dict[int, tuple[int, int, int]]:
    """Split ring members into rings; map each member to (ring, opened, detected)."""
    out: dict[int, tuple[int, int, int]] = {}
    members = rng.permutation(members)
    ring, pos = 0, 0
    while pos < len(members):
        size = randint(rng, *RING_SIZES)
        if len(members) - pos - size < RING_SIZES[0]:
            size = len(members) - pos
        # Rings opening late in the window are often uncovered only after it (label 0).
        opened = randint(rng, world.start, world.latest_signup)
        detected = opened + int((20 + rng.lognormal(np.log(40), 0.5)) * DAY)
        for member in members[pos : pos + size]:
            out[int(member)] = (ring, opened, detected)
        ring, pos = ring + 1, pos + size
    return out


def _bank_groups(
    archetypes: np.ndarray,
    clean: np.ndarray,
    rings: dict[int, tuple[int, int, int]],
    rng: np.random.Generator,
) -> np.ndarray:
    groups = np.full(len(archetypes), -1, dtype=np.int64)
    next_group = 0
    ring_groups: dict[int, int] = {}
    for archetype, share in SHARED_BANK_SHARE.items():
        candidates = np.flatnonzero((archetypes == archetype) & ~clean)
        chosen = candidates[rng.random(len(candidates)) < share]
        if archetype is Archetype.COLLUSION_RING:
            for member in chosen:
                ring = rings[int(member)][0]
                if ring not in ring_groups:
                    ring_groups[ring], next_group = next_group, next_group + 1
                groups[member] = ring_groups[ring]
            continue
        chosen = rng.permutation(chosen)
        for start in range(0, len(chosen) - 1, 3):
            groups[chosen[start : start + 3]] = next_group
            next_group += 1
    good = np.flatnonzero(archetypes == Archetype.GOOD)
    pairs = rng.permutation(good[rng.random(len(good)) < GOOD_SHARED_BANK_SHARE])
    for start in range(0, len(pairs) - 1, 2):
        groups[pairs[start : start + 2]] = next_group
        next_group += 1
    # A group of one shares nothing; give it back its own bank account.
    ids, counts = np.unique(groups[groups >= 0], return_counts=True)
    groups[np.isin(groups, ids[counts < 2])] = -1
    return groups


def draw_population(config: GeneratorConfig, world: World) -> list[ProviderSeed]:
    """Decide every account's archetype and its links to other accounts."""
    rng = population_rng(config)
    n = config.accounts
    archetypes = np.empty(n, dtype=object)
    archetypes[:] = [Archetype.GOOD] * n
    slots = rng.permutation(n)
    pos = 0
    for archetype, count in _archetype_counts(config, rng).items():
        count = min(count, n - pos)
        archetypes[slots[pos : pos + count]] = archetype
        pos += count
    bad = archetypes != Archetype.GOOD
    # Forgers show themselves in their documents by definition; the clean third comes
    # from the others.
    can_hide = np.flatnonzero(bad & (archetypes != Archetype.FORGED_DOCUMENTS))
    n_clean = min(len(can_hide), int(round(bad.sum() * config.clean_onboarding_share)))
    clean = np.zeros(n, dtype=bool)
    clean[rng.choice(can_hide, size=n_clean, replace=False)] = True
    good = np.flatnonzero(~bad)
    n_closed = int(np.floor(len(good) * config.good_closure_rate + rng.random()))
    closed = np.zeros(n, dtype=bool)
    closed[rng.choice(good, size=min(n_closed, len(good)), replace=False)] = True
    rings = _rings(np.flatnonzero(archetypes == Archetype.COLLUSION_RING), world, rng)
    groups = _bank_groups(archetypes, clean, rings, rng)
    seeds = []
    for i in range(n):
        ring, opened, detected = rings.get(i, (-1, 0, 0))
        seeds.append(
            ProviderSeed(
                index=i,
                archetype=archetypes[i],
                clean_onboarding=bool(clean[i]),
                good_closure=bool(closed[i]),
                ring=ring,
                ring_opened=opened,
                ring_detected=detected,
                bank_group=int(groups[i]),
            )
        )
    return seeds
