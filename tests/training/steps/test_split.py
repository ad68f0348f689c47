from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training.dataset import DatasetError
from training.steps.snapshots import DAY
from training.steps.split import (
    SPLITS,
    SplitConfig,
    account_position,
    split_frames,
    start_of_test_period,
    time_split,
)

HORIZON = 30  # days


def labelled(accounts: int, seed: int) -> pd.DataFrame:
    """Accounts with 1-5 monthly snapshots starting anywhere in 400 days, 20% positive."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(accounts):
        first = int(rng.integers(0, 400)) * DAY
        for k in range(int(rng.integers(1, 6))):
            rows.append((f"acct_{i}", first + 30 * k * DAY, int(rng.random() < 0.2)))
    return pd.DataFrame(rows, columns=["account", "as_of", "target"])


@settings(max_examples=30, deadline=None)
@given(
    accounts=st.integers(60, 200),
    seed=st.integers(0, 10_000),
    horizon=st.integers(1, 120),
    test_from=st.floats(0.2, 0.9),
)
def test_no_outcome_of_train_or_calibration_resolves_in_the_test_period(
    accounts, seed, horizon, test_from
):
    frame = labelled(accounts, seed)
    config = SplitConfig(test_from=test_from, min_positives=0)
    out = time_split(frame, config, horizon_days=horizon)
    start = start_of_test_period(frame, config)
    assert (out.groupby("account")["split"].nunique() == 1).all()
    before = out[out["split"] != "test"]
    assert (before["as_of"] + horizon * DAY <= start).all()
    assert (out.loc[out["split"] == "test", "as_of"] >= start).all()
    # Every kept row is an input row, unchanged.
    merged = out.merge(frame, on=["account", "as_of", "target"], how="left", indicator=True)
    assert (merged["_merge"] == "both").all()


def test_the_embargo_drops_exactly_the_snapshots_whose_horizon_reaches_the_test_period():
    frame = labelled(400, 7)
    config = SplitConfig(min_positives=0)
    start = start_of_test_period(frame, config)
    without = time_split(frame, config, horizon_days=1)
    out = time_split(frame, config, horizon_days=HORIZON)
    lost = without.merge(out, how="left", indicator=True).query("_merge == 'left_only'")
    assert len(lost) > 0 and set(lost["split"]) == {"train", "calibration"}
    assert (lost["as_of"] + HORIZON * DAY > start).all()
    assert (lost["as_of"] + DAY <= start).all()


def test_groups_follow_the_configured_account_shares():
    frame = labelled(3000, 3)
    out = time_split(frame, SplitConfig(train=0.6, calibration=0.2), horizon_days=HORIZON)
    shares = out.groupby("split")["account"].nunique() / frame["account"].nunique()
    assert shares["calibration"] < 0.2 and shares["calibration"] / shares["train"] == pytest.approx(
        0.2 / 0.6, rel=0.15
    )
    # Each group keeps only its period, so it holds fewer accounts than its share.
    assert shares["train"] < 0.6 and shares["test"] < 0.2


def test_an_account_keeps_its_group_whatever_else_is_in_the_data():
    frame = labelled(300, 4)
    alone = time_split(frame, SplitConfig(min_positives=0), horizon_days=HORIZON)
    more = time_split(
        pd.concat([frame, labelled(300, 5).assign(account=lambda f: f["account"] + "x")]),
        SplitConfig(min_positives=0),
        horizon_days=HORIZON,
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
        time_split(frame, SplitConfig(min_positives=1), horizon_days=HORIZON)


def test_split_frames_returns_each_split():
    out = split_frames(
        time_split(labelled(100, 9), SplitConfig(min_positives=1), horizon_days=HORIZON)
    )
    assert set(out) == set(SPLITS)
    assert sum(len(f) for f in out.values()) > 0


def test_shares_must_leave_a_test_split():
    with pytest.raises(ValueError):
        SplitConfig(train=0.8, calibration=0.2)
    with pytest.raises(ValueError):
        SplitConfig(test_from=1.0)
