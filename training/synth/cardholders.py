"""The platform-wide population of cardholders, cards and customers, addressed by index.

Honest providers sell to cardholders from one shared pool with skewed popularity, so real
customers shop at many providers (honest sharing). Collusion rings use their own small card
sets across all members, and stolen or tested cards are fresh indices never seen elsewhere.
Each card index maps to a fingerprint and each customer index to a `cus_` id by hashing.
"""

from __future__ import annotations

import numpy as np

from training.synth.choice import categorical
from training.synth.config import World
from training.synth.countries import COUNTRIES, COUNTRY_CODES
from training.synth.ids import mix64

CARDS_PER_CUSTOMER = 2  # pool card index = customer index * 2 + (0: main card, 1: second card)
RING_BASE = 1 << 40  # ring cards and customers: RING_BASE + ring * RING_STRIDE + k
RING_STRIDE = 1 << 10
RING_CARDS = 16
FRESH_BASE = 1 << 44  # fresh cards and customers: FRESH_BASE + account index * FRESH_STRIDE + k
FRESH_STRIDE = 1 << 24

_CARD_WEIGHTS = np.array([c.card_weight for c in COUNTRIES])
_CARD_CDF = np.cumsum(_CARD_WEIGHTS) / _CARD_WEIGHTS.sum()


def country_index(code: str) -> int:
    """Position of country `code` in COUNTRIES (the code cardholder arrays carry)."""
    return COUNTRY_CODES.index(code)


def pool_country(world: World, customers: np.ndarray) -> np.ndarray:
    """Country index (into COUNTRIES) of each pool customer."""
    return np.searchsorted(np.asarray(world.pool_bounds), customers, side="right").astype(np.int16)


def draw_pool_customers(
    rng: np.random.Generator, world: World, home: int, count: int, cross_border: float
) -> np.ndarray:
    """`count` pool customers for a provider in country `home`, foreign with `cross_border`.

    Popularity within a country is skewed (index = size * u**2), so a few customers are seen
    at many providers, as on any real marketplace.
    """
    bounds = np.asarray((0, *world.pool_bounds))
    foreign = rng.random(count) < cross_border
    weights = _CARD_WEIGHTS.copy()
    weights[home] = 0.0
    countries = np.where(foreign, categorical(rng, weights, count), home)
    low, high = bounds[countries], bounds[countries + 1]
    return np.asarray(low + ((high - low) * rng.random(count) ** 2).astype(np.int64))


def hashed_card_country(cards: np.ndarray, salt: int) -> np.ndarray:
    """A stable issuing country for cards outside the pool, weighted like the pool."""
    u = (mix64(cards, salt ^ 0xC0C0) % np.uint64(1_000_003)).astype(np.float64) / 1_000_003
    return np.searchsorted(_CARD_CDF, u, side="right").clip(0, len(COUNTRIES) - 1).astype(np.int16)


def ring_cards(ring: int, picks: np.ndarray) -> np.ndarray:
    """Card (and customer) indices of collusion ring `ring` for pick numbers 0..RING_CARDS-1."""
    return RING_BASE + ring * RING_STRIDE + picks.astype(np.int64)


def fresh_cards(account: int, count: int, offset: int = 0) -> np.ndarray:
    """`count` card or customer indices nobody else uses, for account number `account`."""
    return FRESH_BASE + account * FRESH_STRIDE + offset + np.arange(count, dtype=np.int64)
