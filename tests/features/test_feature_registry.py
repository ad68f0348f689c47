"""The registry lists every feature once: unique, complete, versioned, with sane directions."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import features
from features import FEATURE_NAMES, REGISTRY, compute, monotone_constraints, registry_version
from features.account import ACCOUNT_FEATURES, account_features
from features.batch import feature_columns
from features.links import LINK_FEATURES, link_features
from features.transactions import TRANSACTION_FEATURES, build_table, transaction_features
from features.transactions.bounds import snapshot_bounds


def test_names_are_unique_and_well_formed() -> None:
    assert len(FEATURE_NAMES) == len(set(FEATURE_NAMES))
    for spec in REGISTRY:
        assert spec.name.isidentifier() and spec.name == spec.name.lower(), spec.name
        assert spec.type in ("float", "int", "bool")
        assert spec.monotone in (-1, 0, 1)
        assert spec.description.strip(), spec.name


def test_groups_are_contiguous_and_ordered() -> None:
    groups = [spec.group for spec in REGISTRY]
    assert list(dict.fromkeys(groups)) == ["account", "documents", "transactions", "links"]
    assert features.GROUPS == ("account", "documents", "transactions", "links")


def test_every_computed_feature_is_registered_and_vice_versa(
    full_account: Callable[[], dict[str, Any]], world: Any
) -> None:
    account = full_account()
    assert set(account_features(account, 0)) == {s.name for s in ACCOUNT_FEATURES}
    table = build_table(world.transactions)
    ids, as_of = ["acct_01"], np.array([1_750_000_000])
    bounds = snapshot_bounds(table, ids, as_of)
    assert set(transaction_features(table, ids, as_of, ["US"], bounds=bounds)) == {
        s.name for s in TRANSACTION_FEATURES
    }
    links = link_features(world.network, ids, [account], [()], table, bounds)
    assert set(links) == {s.name for s in LINK_FEATURES}
    columns = feature_columns(ids, [account], [()], table, as_of, world.network)
    assert tuple(columns) == FEATURE_NAMES
    vector = compute(account, (), world.transactions, 1_750_000_000)
    assert vector.names == FEATURE_NAMES


def test_version_is_stable_and_changes_with_any_spec() -> None:
    version = registry_version()
    assert version == registry_version(REGISTRY) and len(version) == 12
    first = REGISTRY[0]
    for change in (
        {"monotone": 1 if first.monotone != 1 else 0},
        {"description": first.description + "!"},
        {"type": "float" if first.type != "float" else "int"},
        {"name": first.name + "_x"},
    ):
        changed = (dataclasses.replace(first, **change), *REGISTRY[1:])
        assert registry_version(changed) != version, change
    assert registry_version((*REGISTRY[1:], first)) != version  # order is part of it


@pytest.mark.parametrize(
    ("name", "direction"),
    [
        ("dispute_rate_count_30d", 1),
        ("dispute_rate_amount_all", 1),
        ("refund_rate_amount_30d", 1),
        ("failed_charge_rate_1d", 1),
        ("payout_failure_rate_all", 1),
        ("requirements_past_due_count", 1),
        ("verification_errors_document_fraud", 1),
        ("linked_bad_accounts_any", 1),
        ("account_age_days", -1),
        ("days_since_first_charge", -1),
        ("charge_volume_usd_30d", 0),
    ],
)
def test_monotone_directions_match_risk_intuition(name: str, direction: int) -> None:
    assert features.spec_of(name).monotone == direction
    assert monotone_constraints()[FEATURE_NAMES.index(name)] == direction


def test_unknown_feature_name_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="no_such_feature"):
        features.spec_of("no_such_feature")
