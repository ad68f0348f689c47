"""Recurrence of a key (card, customer, card country) within each account's history."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class KeyOccurrences:
    """Per row of a sorted transaction table: how this row's key recurs on its account.

    `rank` counts earlier rows of the same account with the same key (0 on a first occurrence);
    `prev` is the previous such row (-1 if none). Rows that are not selected or have no key are
    `valid = False`, with rank 0 and prev -1. Rows sharing a timestamp may rank in any order;
    every feature built on this sums over whole timestamps, so that order never shows.
    """

    valid: np.ndarray
    rank: np.ndarray
    prev: np.ndarray

    @property
    def first(self) -> np.ndarray:
        """Rows that are the first occurrence of their key on their account."""
        return self.valid & (self.prev < 0)


def key_occurrences(account: np.ndarray, key: np.ndarray, selected: np.ndarray) -> KeyOccurrences:
    """Rank the occurrences of each (account, key) pair in row order (rows are time-sorted)."""
    n = len(key)
    valid = selected & (key >= 0)
    rows = np.flatnonzero(valid)
    # One stable sort on a combined (account, key) integer: equal pairs stay in time order.
    pair = account[rows].astype(np.int64) * (int(key.max(initial=0)) + 1) + key[rows]
    order = rows[np.argsort(pair, kind="stable")]
    positions = np.arange(len(order))
    new_group = np.ones(len(order), dtype=bool)
    if len(order) > 1:
        acc, k = account[order], key[order]
        new_group[1:] = (acc[1:] != acc[:-1]) | (k[1:] != k[:-1])
    group_start = (
        np.maximum.accumulate(np.where(new_group, positions, 0)) if len(order) else positions
    )
    rank = np.zeros(n, dtype=np.int64)
    rank[order] = positions - group_start
    prev = np.full(n, -1, dtype=np.int64)
    if len(order) > 1:
        prev[order[1:]] = np.where(new_group[1:], -1, order[:-1])
    return KeyOccurrences(valid=valid, rank=rank, prev=prev)
