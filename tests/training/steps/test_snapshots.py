from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from training.dataset import DatasetError
from training.steps.snapshots import DAY, default_snapshots, label_snapshots, unlabelled_count


def test_default_snapshots_start_a_day_after_creation_every_30_days_until_labeled_at(labels):
    accounts = {
        "acct_a": {"created": 0},
        "acct_b": {"created": 50 * DAY},
        "acct_z": {"created": 0},  # unlabelled: no snapshots
    }
    frame = default_snapshots(accounts, labels)
    by = frame.groupby("account")["as_of"].apply(list).to_dict()
    assert by["acct_a"] == [DAY, 31 * DAY, 61 * DAY, 91 * DAY]
    assert by["acct_b"] == [51 * DAY + k * 30 * DAY for k in range(5)]
    assert "acct_z" not in by


def test_default_snapshots_need_an_integer_created(labels):
    with pytest.raises(DatasetError, match="accounts.jsonl.*acct_a"):
        default_snapshots({"acct_a": {}}, labels)


def test_target_is_closure_within_horizon_and_known_outcomes_are_dropped(labels):
    snapshots = pd.DataFrame(
        {
            "account": ["acct_a", "acct_a", "acct_a", "acct_b", "acct_b", "acct_c", "acct_x"],
            "as_of": [5 * DAY, 20 * DAY, 100 * DAY, 100 * DAY, 150 * DAY, 11 * DAY, DAY],
        }
    )
    out = label_snapshots(snapshots, labels, horizon_days=90)
    got = {(r.account, r.as_of // DAY): r.target for r in out.itertuples()}
    # day 5 is 95 days before closure (outside), day 20 is 80 days before (inside); day 100 is
    # at labeled_at (dropped); acct_b's day 150 is censored (observation ends 50 days later, a
    # closure could still come) while day 100 is a known negative; acct_c's day 11 is after
    # closure; acct_x has no label.
    assert got == {("acct_a", 5): 0, ("acct_a", 20): 1, ("acct_b", 100): 0}
    assert out.loc[out["account"] == "acct_a", "onboarding"].tolist() == [True, False]
    assert list(out["as_of"]) == sorted(out["as_of"])
    assert unlabelled_count(snapshots, labels) == 1


def test_a_longer_horizon_turns_earlier_snapshots_positive(labels):
    snapshots = pd.DataFrame({"account": ["acct_a"], "as_of": [5 * DAY]})
    assert label_snapshots(snapshots, labels, horizon_days=120)["target"].tolist() == [1]


def test_no_positive_labels_is_a_dataset_error(labels):
    negative = labels.assign(label=0)
    snapshots = pd.DataFrame({"account": ["acct_b"], "as_of": [DAY]})
    with pytest.raises(DatasetError, match="labels.csv.*no positive labels"):
        label_snapshots(snapshots, negative)


def test_no_closure_within_the_horizon_is_a_dataset_error(labels):
    snapshots = pd.DataFrame({"account": ["acct_a"], "as_of": [DAY]})
    with pytest.raises(DatasetError, match="within 30 days"):
        label_snapshots(snapshots, labels, horizon_days=30)


@given(
    as_of=st.lists(st.integers(0, 400), min_size=1, max_size=30),
    closed=st.integers(1, 400),
    horizon=st.integers(1, 200),
)
def test_target_matches_its_definition(as_of, closed, horizon):
    labels = pd.DataFrame({"account": ["a"], "label": [1], "labeled_at": [closed * DAY]})
    snapshots = pd.DataFrame({"account": "a", "as_of": [t * DAY for t in as_of]})
    try:
        out = label_snapshots(snapshots, labels, horizon_days=horizon)
    except DatasetError:
        assert not any(closed - horizon <= t < closed for t in as_of)
        return
    assert (out["as_of"] < closed * DAY).all()
    expected = (closed * DAY - out["as_of"]) <= horizon * DAY
    assert out["target"].tolist() == expected.astype(int).tolist()
