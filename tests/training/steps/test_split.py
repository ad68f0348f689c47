from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training.dataset import DatasetError
from training.steps.split import SPLITS, SplitConfig, split_frames, time_split


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
def test_each_account_sits_in_one_split_and_splits_follow_time(accounts, seed):
    frame = labelled(accounts, seed)
    out = time_split(frame, SplitConfig(min_positives=1))
    assert (out.groupby("account")["split"].nunique() == 1).all()
    first = out.groupby("account").agg(first=("as_of", "min"), split=("split", "first"))
    ranges = first.groupby("split")["first"].agg(["min", "max"])
    assert ranges.loc["train", "max"] <= ranges.loc["calibration", "min"]
    assert ranges.loc["calibration", "max"] <= ranges.loc["test", "min"]
    assert len(out) == len(frame)


def test_shares_are_close_to_the_configuration():
    out = time_split(labelled(600, 3), SplitConfig(train=0.6, calibration=0.2))
    shares = out["split"].value_counts(normalize=True)
    assert shares["train"] == pytest.approx(0.6, abs=0.02)
    assert shares["calibration"] == pytest.approx(0.2, abs=0.02)


def test_too_few_positives_names_the_split():
    frame = labelled(100, 5)
    late = frame.groupby("account")["as_of"].transform("min") > frame["as_of"].quantile(0.7)
    frame.loc[late, "target"] = 0
    with pytest.raises(DatasetError, match="test has 0"):
        time_split(frame, SplitConfig(min_positives=1))


def test_split_frames_returns_each_split():
    out = split_frames(time_split(labelled(100, 9), SplitConfig(min_positives=1)))
    assert set(out) == set(SPLITS)
    assert sum(len(f) for f in out.values()) > 0


def test_shares_must_leave_a_test_split():
    with pytest.raises(ValueError):
        SplitConfig(train=0.8, calibration=0.2)
