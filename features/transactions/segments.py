"""Statistics over many row ranges at once (one range per snapshot), without Python loops."""

from __future__ import annotations

import numpy as np


def expand(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate the ranges `lo[s]:hi[s]`: returns (row index, segment id) per expanded row."""
    lengths = np.maximum(hi - lo, 0)
    segment = np.repeat(np.arange(len(lo)), lengths)
    offsets = np.cumsum(lengths) - lengths
    rows = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(offsets - lo, lengths)
    return rows, segment


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator as float64, NaN where the denominator is 0 (nothing observed)."""
    denominator = np.asarray(denominator, dtype=np.float64)
    return np.asarray(numerator) / np.where(denominator == 0, np.nan, denominator)


def sorted_quantile(values: np.ndarray, segment: np.ndarray, n: int, q: float) -> np.ndarray:
    """Linear-interpolated q-quantile per segment of values already sorted within each segment."""
    count = np.bincount(segment, minlength=n)
    offset = np.cumsum(count) - count
    position = q * np.maximum(count - 1, 0)
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, np.maximum(count - 1, 0))
    out = np.full(n, np.nan)
    has = count > 0
    low = values[(offset + below)[has]]
    high = values[(offset + above)[has]]
    out[has] = low + (high - low) * (position - below)[has]
    return out


def coefficient_of_variation(values: np.ndarray, segment: np.ndarray, n: int) -> np.ndarray:
    """Population std / mean per segment; NaN below two values or at a zero mean.

    `np.bincount` adds each segment's values in their order within the segment, so the result
    does not depend on what other segments the call carries.
    """
    count = np.bincount(segment, minlength=n)
    mean = ratio(np.bincount(segment, weights=values, minlength=n), count)
    deviation = values - mean[segment]
    variance = ratio(np.bincount(segment, weights=deviation * deviation, minlength=n), count)
    cv = ratio(np.sqrt(variance), mean)
    return np.where(count >= 2, cv, np.nan)


def count_where(flags: np.ndarray, segment: np.ndarray, n: int) -> np.ndarray:
    """How many expanded rows of each segment have `flags` set."""
    return np.bincount(segment[flags], minlength=n).astype(np.int64)
