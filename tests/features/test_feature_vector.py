"""The single-account entry point and the FeatureVector it returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from features import FEATURE_NAMES, FeatureVector, compute, registry_version

FullAccount = Callable[[], dict[str, Any]]


def test_vector_carries_names_values_and_version(world: Any) -> None:
    frame = world.transactions[world.transactions["account"] == "acct_03"]
    account = world.accounts["acct_03"]
    vector = compute(account, world.evidence["acct_03"], frame, 1_750_000_000)
    assert vector.names == FEATURE_NAMES and len(vector) == len(FEATURE_NAMES)
    assert vector.values.dtype == np.float64
    assert vector.version == registry_version()
    as_dict = vector.as_dict()
    assert list(as_dict) == list(FEATURE_NAMES)
    assert as_dict["charge_count_all"] == vector["charge_count_all"] > 0
    with pytest.raises(ValueError):
        vector.values[0] = 1.0  # read-only: a vector is a record, not a buffer


def test_records_and_frames_give_the_same_vector(world: Any) -> None:
    frame = world.transactions[world.transactions["account"] == "acct_05"]
    account = world.accounts["acct_05"]
    from_frame = compute(account, (), frame, 1_752_000_000)
    from_records = compute(account, (), frame.to_dict("records"), 1_752_000_000)
    assert np.array_equal(from_frame.values, from_records.values, equal_nan=True)


def test_other_accounts_rows_are_ignored(world: Any) -> None:
    account = world.accounts["acct_07"]
    own = world.transactions[world.transactions["account"] == "acct_07"]
    alone = compute(account, (), own, 1_752_000_000)
    mixed = compute(account, (), world.transactions, 1_752_000_000)
    assert np.array_equal(alone.values, mixed.values, equal_nan=True)


def test_no_transactions_means_zero_counts_and_unknown_rates(full_account: FullAccount) -> None:
    vector = compute(full_account(), (), None, 1_750_000_000)
    assert vector["charge_count_all"] == 0.0 and vector["dispute_count_all"] == 0.0
    assert np.isnan(vector["dispute_rate_count_all"]) and np.isnan(vector["ticket_median_usd_all"])


def test_vector_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="2 names but 1 values"):
        FeatureVector(("a", "b"), np.zeros(1))
