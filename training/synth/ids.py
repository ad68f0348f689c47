"""Stripe-style identifiers: random object ids and stable ids for platform-wide entities.

Object ids (`ch_…`, `acct_…`) are drawn from a generator; customers and card fingerprints are
hashes of a pool index, so every worker names the same customer the same way without sharing
any state.
"""

from __future__ import annotations

import numpy as np

ALPHABET = np.frombuffer(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", np.uint8
)
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


def random_tokens(rng: np.random.Generator, count: int, length: int) -> np.ndarray:
    """`count` random base62 strings of `length` characters, as a numpy unicode array."""
    codes = rng.integers(0, len(ALPHABET), size=(count, length), dtype=np.uint8)
    return ALPHABET[codes].view(f"S{length}").ravel().astype(f"U{length}")


_CHARS = ALPHABET.tobytes().decode()


def random_id(rng: np.random.Generator, prefix: str, length: int) -> str:
    """One random Stripe-style id such as `acct_1PgafTB7WZ01zgkW`."""
    picks = (rng.random(length) * len(_CHARS)).astype(np.int64).tolist()
    return prefix + "".join([_CHARS[i] for i in picks])


def mix64(values: np.ndarray, salt: int) -> np.ndarray:
    """SplitMix64 of `values ^ salt`: a cheap, well-spread 64-bit hash for integer arrays."""
    z = values.astype(np.uint64) ^ np.uint64(salt & 0xFFFFFFFFFFFFFFFF)
    z = z + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return (z ^ (z >> np.uint64(31))) & _MASK


def _base62(hashes: np.ndarray, length: int) -> np.ndarray:
    digits = np.empty((len(hashes), length), dtype=np.uint8)
    z = hashes.copy()
    for i in range(length):
        digits[:, i] = (z % np.uint64(62)).astype(np.uint8)
        z //= np.uint64(62)
    return ALPHABET[digits]


def hashed_tokens(indices: np.ndarray, salt: int, length: int) -> np.ndarray:
    """Base62 tokens of `length` characters determined by (index, salt) alone."""
    indices = np.asarray(indices, dtype=np.int64)
    chunks = []
    remaining, round_ = length, 0
    while remaining > 0:
        take = min(remaining, 10)
        chunks.append(_base62(mix64(indices, salt + 0x51ED * round_), take))
        remaining -= take
        round_ += 1
    chars = np.ascontiguousarray(np.concatenate(chunks, axis=1))
    return chars.view(f"S{length}").ravel().astype(f"U{length}")


def with_prefix(prefix: str, tokens: np.ndarray) -> np.ndarray:
    """Prepend `prefix` to every token."""
    return np.char.add(prefix, tokens)


def optional_ids(indices: np.ndarray, salt: int, prefix: str, length: int) -> np.ndarray:
    """Ids for non-negative indices and "" where the index is negative (no such entity)."""
    indices = np.asarray(indices, dtype=np.int64)
    out = np.full(len(indices), "", dtype=f"U{len(prefix) + length}")
    present = indices >= 0
    if present.any():
        out[present] = with_prefix(prefix, hashed_tokens(indices[present], salt, length))
    return out
