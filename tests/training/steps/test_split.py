from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training.dataset import DatasetError
from training.steps.split import SPLITS, SplitConfig, account_position, split_frames, time_split


def labelled(accounts: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(accounts):
        first = int(rng.integers(0, 10_000))
        for k in range(int(rng.integers(1, 6))):
            rows.append((f"acct_{i}", first + 100 * k, int(rng.random() < 0.2)))
    return pd.DataFrame(rows, columns=["account", "as_of", "target"])


@settings(max_examples=30, deadline=None)
@given(accounts=st.integers(60, 200), seed=st.integers(0, 10_000))
def test_no_account_in_two_splits_and_test_comes_after_train(accounts, seed):
    frame = labelled(accounts, seed)
    out = time_split(frame, SplitConfig(min_positives=0))
    assert (out.groupby("account")["split"].nunique() == 1).all()
    train, test = (
        out.loc[out["split"] == "train", "as_of"],
        out.loc[out["split"] == "test", "as_of"],
    )
    assert test.empty or train.max() < test.min()
    # Every kept row is an input row, unchanged.
    merged = out.merge(frame, on=["account", "as_of", "target"], how="left", indicator=True)
    assert (merged["_merge"] == "both").all()


def test_groups_follow_the_configured_account_shares():
    frame = labelled(3000, 3)
    out = time_split(frame, SplitConfig(train=0.6, calibration=0.2))
    shares = out.groupby("split")["account"].nunique() / frame["account"].nunique()
    assert shares["calibration"] == pytest.approx(0.2, abs=0.03)
    # Train and test keep only their period, so they hold fewer accounts than their group.
    assert shares["train"] < 0.6 and shares["test"] < 0.2


def test_an_account_keeps_its_group_whatever_else_is_in_the_data():
    frame = labelled(300, 4)
    alone = time_split(frame, SplitConfig(min_positives=0))
    more = time_split(
        pd.concat([frame, labelled(300, 5).assign(account=lambda f: f["account"] + "x")]),
        SplitConfig(min_positives=0),
    )
    groups = alone.groupby("account")["split"].first()
    again = more.groupby("account")["split"].first().reindex(groups.index).dropna()
    assert (again == groups.reindex(again.index)).all()
    assert 0 <= account_position("acct_1") < 1
    assert account_position("acct_1") == account_position("acct_1")


def test_too_few_positives_names_the_split():
    frame = labelled(100, 5)
    frame.loc[frame["as_of"] >= frame["as_of"].quantile(0.5), "target"] = 0
    with pytest.raises(DatasetError, match="test has 0"):
        time_split(frame, SplitConfig(min_positives=1))


def test_split_frames_returns_each_split():
    out = split_frames(time_split(labelled(100, 9), SplitConfig(min_positives=1)))
    assert set(out) == set(SPLITS)
    assert sum(len(f) for f in out.values()) > 0


def test_shares_must_leave_a_test_split():
    with pytest.raises(ValueError):
        SplitConfig(train=0.8, calibration=0.2)
    with pytest.raises(ValueError):
        SplitConfig(test_from=1.0)
