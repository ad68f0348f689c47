"""Links between accounts: shared cards, customers, bank accounts and documents, point in time.

A `NetworkIndex` is built once from every account's keys and outcomes; each snapshot then looks
up who else held its keys before `as_of`, and which of them were already labelled bad before it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from features.account import bank_fingerprints
from features.account._access import number
from features.spec import FeatureSpec
from features.transactions.bounds import SnapshotBounds
from features.transactions.keys import KeyOccurrences
from features.transactions.segments import expand
from features.transactions.table import TransactionTable, lookup, vocabulary

LINK_KINDS = ("card", "customer", "bank", "document")
NEVER = np.iinfo(np.int64).max


class HasSha256(Protocol):
    """What links need of a parsed document: the hash of its bytes."""

    @property
    def sha256(self) -> str: ...


@dataclass(frozen=True)
class KeyHolders:
    """For one link kind: the accounts (index codes) holding each key, and since when."""

    keys: dict[str, int]
    block: np.ndarray
    holder: np.ndarray
    since: np.ndarray


@dataclass(frozen=True)
class NetworkIndex:
    """Who held which card, customer, bank account and document, and who was labelled bad when.

    Build it with `build_network`; it is plain immutable data, safe to share between requests.
    """

    accounts: dict[str, int]
    bad_since: np.ndarray
    kinds: Mapping[str, KeyHolders]


@dataclass(frozen=True)
class FocalKeys:
    """The keys each snapshot holds: `snapshot[i]` held network key `key[i]` since `since[i]`."""

    snapshot: np.ndarray
    key: np.ndarray
    since: np.ndarray


def _holders(
    account: np.ndarray, key: pd.Index | np.ndarray, since: np.ndarray, max_holders: int
) -> KeyHolders:
    key_codes, keys = pd.factorize(np.asarray(key, dtype=object))
    keys = np.asarray(keys, dtype=object)
    order = np.lexsort((since, account, key_codes))
    key_codes, account, since = key_codes[order], account[order], since[order]
    # One row per (key, holder): its earliest time; then at most max_holders earliest holders.
    first = np.ones(len(order), dtype=bool)
    first[1:] = (key_codes[1:] != key_codes[:-1]) | (account[1:] != account[:-1])
    key_codes, account, since = key_codes[first], account[first], since[first]
    by_time = np.lexsort((account, since, key_codes))
    key_codes, account, since = key_codes[by_time], account[by_time], since[by_time]
    counts = np.bincount(key_codes, minlength=len(keys))
    starts = np.concatenate(([0], np.cumsum(counts)))
    keep = np.arange(len(key_codes)) - starts[key_codes] < max_holders
    counts = np.bincount(key_codes[keep], minlength=len(keys))
    block = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return KeyHolders(vocabulary(keys), block, account[keep], since[keep])


def _created(account: Mapping[str, Any]) -> int:
    created = number(account.get("created"))
    return int(created) if created is not None else 0


def build_network(
    table: TransactionTable,
    accounts: Mapping[str, Mapping[str, Any]],
    evidence_by_account: Mapping[str, Sequence[HasSha256]],
    labels: pd.DataFrame | None = None,
    *,
    max_holders_per_key: int = 1000,
) -> NetworkIndex:
    """Index every account's keys with the time each became visible.

    Cards and customers are visible from the account's first charge with them; bank accounts
    and documents (account state, which has no history) from the account's creation (0 when
    unknown). Accounts labelled 1 are bad from their earliest `labeled_at`. A key held by more
    than `max_holders_per_key` accounts keeps only its earliest holders, bounding memory.
    """
    ids = vocabulary(dict.fromkeys([*accounts, *table.accounts]))
    bad_since = np.full(len(ids), NEVER, dtype=np.int64)
    if labels is not None and len(labels):
        bad = labels[labels["label"].astype(int) == 1]
        first_bad = bad.groupby("account")["labeled_at"].min()
        codes = lookup(ids, first_bad.index)
        known = codes >= 0
        bad_since[codes[known]] = first_bad.to_numpy(dtype=np.int64)[known]
    remap = lookup(ids, table.accounts)
    kinds: dict[str, KeyHolders] = {}
    for kind, keys, names in (
        ("card", table.card_keys, table.cards),
        ("customer", table.customer_keys, table.customers),
    ):
        rows = np.flatnonzero(keys.first)
        values = table.card if kind == "card" else table.customer
        holder = remap[table.account[rows]]
        kinds[kind] = _holders(
            holder, names[values[rows]], table.created[rows], max_holders_per_key
        )
    for kind in ("bank", "document"):
        pairs = [
            (account_id, key, _created(account))
            for account_id, account in accounts.items()
            for key in _account_keys(kind, account, evidence_by_account.get(account_id, ()))
        ]
        holder = lookup(ids, [pair[0] for pair in pairs])
        since = np.array([pair[2] for pair in pairs], dtype=np.int64)
        kinds[kind] = _holders(holder, [pair[1] for pair in pairs], since, max_holders_per_key)
    return NetworkIndex(accounts=ids, bad_since=bad_since, kinds=kinds)


def _account_keys(kind: str, account: Mapping[str, Any], evidence: Sequence[HasSha256]) -> set[str]:
    if kind == "bank":
        return set(bank_fingerprints(account))
    return {item.sha256 for item in evidence if isinstance(item.sha256, str) and item.sha256}


def _focal_keys(
    network: NetworkIndex,
    kind: str,
    accounts: Sequence[Mapping[str, Any]],
    evidence: Sequence[Sequence[HasSha256]],
    table: TransactionTable,
    bounds: SnapshotBounds,
) -> FocalKeys:
    holders = network.kinds[kind]
    if kind == "card":
        return _table_keys(holders, table.card_keys, table.card, table.cards, table, bounds)
    if kind == "customer":
        return _table_keys(
            holders, table.customer_keys, table.customer, table.customers, table, bounds
        )
    return _state_keys(holders, kind, accounts, evidence)


def _table_keys(
    holders: KeyHolders,
    keys: KeyOccurrences,
    values: np.ndarray,
    names: np.ndarray,
    table: TransactionTable,
    bounds: SnapshotBounds,
) -> FocalKeys:
    """The keys each snapshot's own charges used before as_of, with their first-use time."""
    if len(table) == 0:
        return FocalKeys(*(np.empty(0, dtype=np.int64),) * 3)
    rows = np.flatnonzero(keys.first)
    lo, hi = np.searchsorted(rows, bounds.start), np.searchsorted(rows, bounds.hi)
    position, snapshot = expand(lo, hi)
    picked = rows[position]
    remap = lookup(holders.keys, names)
    return FocalKeys(snapshot, remap[values[picked]], table.created[picked])


def _state_keys(
    holders: KeyHolders,
    kind: str,
    accounts: Sequence[Mapping[str, Any]],
    evidence: Sequence[Sequence[HasSha256]],
) -> FocalKeys:
    """Keys from account state (bank fingerprints) or documents: the account's own, visible
    to it from the start."""
    snapshot, found = [], []
    for index, (account, items) in enumerate(zip(accounts, evidence, strict=True)):
        for key in sorted(_account_keys(kind, account, items)):
            snapshot.append(index)
            found.append(key)
    codes = lookup(holders.keys, found)
    return FocalKeys(np.asarray(snapshot, dtype=np.int64), codes, np.zeros(len(found), np.int64))


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values. np.unique's hash path is pathologically slow on these dense,
    patterned int64 pair codes; a plain sort is fast and predictable."""
    ordered = np.sort(values)
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


def _linked_pairs(
    network: NetworkIndex,
    holders: KeyHolders,
    focal: FocalKeys,
    self_code: np.ndarray,
    as_of: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(snapshot, other account) pairs linked before as_of; the second array flags bad ones."""
    known = focal.key >= 0
    snapshot, key, since = focal.snapshot[known], focal.key[known], focal.since[known]
    position, row = expand(holders.block[key], holders.block[key + 1])
    snap = snapshot[row]
    other = holders.holder[position]
    linked_at = np.maximum(since[row], holders.since[position])
    keep = (other != self_code[snap]) & (linked_at < as_of[snap])
    pair = _distinct(snap[keep] * np.int64(len(network.accounts) + 1) + other[keep])
    snap, other = np.divmod(pair, np.int64(len(network.accounts) + 1))
    return pair, network.bad_since[other] < as_of[snap]


def link_features(
    network: NetworkIndex | None,
    account_ids: Sequence[str],
    accounts: Sequence[Mapping[str, Any]],
    evidence: Sequence[Sequence[HasSha256]],
    table: TransactionTable,
    bounds: SnapshotBounds,
) -> dict[str, np.ndarray]:
    """Per snapshot: how many other accounts share each kind of key, and how many of those were
    labelled bad, all before as_of. Without a network every link feature is NaN (unknown), not 0.
    """
    n = len(bounds)
    if network is None:
        return {spec.name: np.full(n, np.nan) for spec in LINK_FEATURES}
    focal = {
        kind: _focal_keys(network, kind, accounts, evidence, table, bounds) for kind in LINK_KINDS
    }
    if not any((keys.key >= 0).any() for keys in focal.values()):
        # No key that the network knows (a new account, usually): linked to nobody.
        return {spec.name: np.zeros(n) for spec in LINK_FEATURES}
    self_code = lookup(network.accounts, account_ids)
    scale = np.int64(len(network.accounts) + 1)
    out: dict[str, np.ndarray] = {}
    all_pairs, all_bad = [], []
    for kind in LINK_KINDS:
        holders = network.kinds[kind]
        pairs, bad = _linked_pairs(network, holders, focal[kind], self_code, bounds.as_of)
        out[f"linked_accounts_{kind}"] = np.bincount(pairs // scale, minlength=n).astype(float)
        out[f"linked_bad_accounts_{kind}"] = np.bincount(pairs[bad] // scale, minlength=n).astype(
            float
        )
        all_pairs.append(pairs)
        all_bad.append(pairs[bad])
    union, union_bad = _distinct(np.concatenate(all_pairs)), _distinct(np.concatenate(all_bad))
    out["linked_accounts_any"] = np.bincount(union // scale, minlength=n).astype(float)
    out["linked_bad_accounts_any"] = np.bincount(union_bad // scale, minlength=n).astype(float)
    return out


_WHAT = {
    "card": "a card fingerprint charged",
    "customer": "a customer charged",
    "bank": "a payout bank account fingerprint",
    "document": "an identical onboarding document (same sha256)",
    "any": "any card, customer, bank account or document",
}

LINK_FEATURES: tuple[FeatureSpec, ...] = tuple(
    spec
    for kind in (*LINK_KINDS, "any")
    for spec in (
        FeatureSpec(
            f"linked_accounts_{kind}",
            "int",
            "links",
            1 if kind in ("bank", "document") else 0,
            f"Other accounts sharing {_WHAT[kind]} with this one before as_of; NaN without a "
            "network index.",
        ),
        FeatureSpec(
            f"linked_bad_accounts_{kind}",
            "int",
            "links",
            1,
            f"Of those sharing {_WHAT[kind]}, accounts labelled bad before as_of.",
        ),
    )
)
