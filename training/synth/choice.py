"""Weighted choices among a few named options, cheap enough to call per account."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

import numpy as np

K = TypeVar("K")


def weighted_choice(rng: np.random.Generator, options: Mapping[K, float]) -> K:
    """One key of `options`, drawn with probability proportional to its weight."""
    u = rng.random() * sum(options.values())
    key = None
    for key, weight in options.items():
        u -= weight
        if u < 0:
            return key
    assert key is not None, "options must not be empty"
    return key


def pick(rng: np.random.Generator, options: Sequence[K]) -> K:
    """One element of `options`, uniformly."""
    return options[int(rng.random() * len(options))]


def randint(rng: np.random.Generator, low: int, high: int) -> int:
    """A uniform integer in [low, high); much cheaper than `rng.integers` for one value."""
    return low + int(rng.random() * (high - low))


def uniform(rng: np.random.Generator, low: float, high: float) -> float:
    """A uniform float in [low, high); much cheaper than `rng.uniform` for one value."""
    return low + (high - low) * rng.random()


def categorical(rng: np.random.Generator, weights: np.ndarray, count: int) -> np.ndarray:
    """`count` indices into `weights`, drawn in proportion to them."""
    cdf = np.cumsum(weights, dtype=np.float64)
    picks = np.searchsorted(cdf, rng.random(count) * cdf[-1], side="right")
    return np.asarray(picks.clip(0, len(cdf) - 1), dtype=np.int64)
