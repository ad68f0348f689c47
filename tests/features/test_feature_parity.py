"""One implementation, two paths: compute() per account equals compute_batch()'s row, exactly."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from features import FEATURE_NAMES, build_network, build_table, compute, compute_batch


def _assert_rows_equal(batch: pd.DataFrame, snapshots: pd.DataFrame, single: Any) -> int:
    """Compare every row; returns how many non-NaN values were compared."""
    assert list(batch.columns) == ["account", "as_of", *FEATURE_NAMES]
    assert batch["account"].tolist() == snapshots["account"].tolist()
    assert batch["as_of"].tolist() == snapshots["as_of"].tolist()
    compared = 0
    values = batch[list(FEATURE_NAMES)].to_numpy(dtype=np.float64)
    for i, (account, as_of) in enumerate(
        zip(snapshots["account"], snapshots["as_of"], strict=True)
    ):
        vector = single(account, int(as_of))
        same = (vector.values == values[i]) | (np.isnan(vector.values) & np.isnan(values[i]))
        assert same.all(), [
            (name, a, b)
            for name, a, b, ok in zip(FEATURE_NAMES, vector.values, values[i], same, strict=True)
            if not ok
        ][:5]
        compared += int((~np.isnan(values[i])).sum())
    return compared


def test_batch_equals_single_on_a_handmade_marketplace(world: Any) -> None:
    batch = compute_batch(
        world.accounts, world.evidence, world.transactions, world.snapshots, network=world.network
    )
    by_account = dict(tuple(world.transactions.groupby("account")))

    def single(account: str, as_of: int) -> Any:
        return compute(
            world.accounts[account],
            world.evidence[account],
            by_account.get(account),
            as_of,
            network=world.network,
        )

    compared = _assert_rows_equal(batch, world.snapshots, single)
    assert len(world.snapshots) == 300 and compared > 300 * 100
    assert batch["linked_bad_accounts_any"].gt(0).any()  # links really were exercised
    assert batch["linked_accounts_document"].gt(0).any()


def test_batch_equals_single_on_the_synthetic_marketplace(synth_dataset: Any) -> None:
    dataset = synth_dataset
    snapshots = dataset.scoring_snapshots().sample(400, random_state=3).reset_index(drop=True)
    table = build_table(dataset.transactions)
    network = build_network(table, dataset.accounts, {}, dataset.labels)
    batch = compute_batch(dataset.accounts, {}, table, snapshots, network=network)
    by_account = dict(tuple(dataset.transactions.groupby("account")))

    def single(account: str, as_of: int) -> Any:
        return compute(
            dataset.accounts[account], (), by_account.get(account), as_of, network=network
        )

    assert _assert_rows_equal(batch, snapshots, single) > len(snapshots) * 80


def test_batch_keeps_snapshot_order_and_duplicates(world: Any) -> None:
    snapshots = pd.concat([world.snapshots.iloc[:5], world.snapshots.iloc[:5]]).iloc[::-1]
    batch = compute_batch(world.accounts, world.evidence, world.transactions, snapshots)
    assert batch["account"].tolist() == snapshots["account"].tolist()
    first, second = batch.iloc[:5, 2:].to_numpy(), batch.iloc[5:, 2:].to_numpy()
    assert np.array_equal(first, second, equal_nan=True)


def test_batch_rejects_a_snapshot_of_an_unknown_account(world: Any) -> None:
    snapshots = pd.DataFrame({"account": ["acct_nope"], "as_of": [1]})
    with pytest.raises(ValueError, match="acct_nope"):
        compute_batch(world.accounts, {}, world.transactions, snapshots)
