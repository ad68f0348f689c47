from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training.dataset import DatasetError
from training.steps.snapshots import (
    DAY,
    default_snapshots,
    label_snapshots,
    observation_end,
    unlabelled_count,
)


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
    # Observation runs to day 1000 (a label-0 account), past every horizon drawn here.
    labels = pd.DataFrame(
        {"account": ["a", "z"], "label": [1, 0], "labeled_at": [closed * DAY, 1000 * DAY]}
    )
    snapshots = pd.DataFrame({"account": "a", "as_of": [t * DAY for t in as_of]})
    try:
        out = label_snapshots(snapshots, labels, horizon_days=horizon)
    except DatasetError:
        assert not any(closed - horizon <= t < closed for t in as_of)
        return
    assert (out["as_of"] < closed * DAY).all()
    expected = (closed * DAY - out["as_of"]) <= horizon * DAY
    assert out["target"].tolist() == expected.astype(int).tolist()


def test_the_last_horizon_before_the_end_of_observation_is_dropped_for_both_labels(labels):
    # acct_b (label 0) ends observation on day 200. acct_a's closure on day 100 is known, but
    # with a 150-day horizon a day-60 snapshot of it could only be known because it is a
    # positive: a negative there would still be open.
    snapshots = pd.DataFrame(
        {
            "account": ["acct_a", "acct_a", "acct_b", "acct_b"],
            "as_of": [DAY, 60 * DAY, DAY, 60 * DAY],
        }
    )
    out = label_snapshots(snapshots, labels, horizon_days=150)
    assert observation_end(labels) == 200 * DAY
    assert {(r.account, r.as_of // DAY, r.target) for r in out.itertuples()} == {
        ("acct_a", 1, 1),
        ("acct_b", 1, 0),
    }


def test_without_label_0_the_latest_closure_ends_observation():
    closures = pd.DataFrame({"account": ["a", "b"], "label": [1, 1], "labeled_at": [5, 9]})
    assert observation_end(closures) == 9


@st.composite
def population(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Accounts observed until one end (day 300), some closed earlier; snapshots anywhere.
    acct_0 is never closed, so the end of observation is always day 300."""
    end = 300
    count = draw(st.integers(2, 12))
    closures = st.lists(st.integers(2, 299) | st.none(), min_size=count - 1, max_size=count - 1)
    closed = [None, *draw(closures)]
    labels = pd.DataFrame(
        {
            "account": [f"acct_{i}" for i in range(count)],
            "label": [int(c is not None) for c in closed],
            "labeled_at": [(c if c is not None else end) * DAY for c in closed],
        }
    )
    rows = draw(
        st.lists(
            st.tuples(st.integers(0, count - 1), st.integers(0, end - 1)), min_size=1, max_size=60
        )
    )
    snapshots = pd.DataFrame(
        {"account": [f"acct_{i}" for i, _ in rows], "as_of": [t * DAY for _, t in rows]}
    ).drop_duplicates()
    return labels, snapshots, end


@settings(max_examples=80, deadline=None)
@given(data=population(), horizon=st.integers(1, 200))
def test_no_kept_horizon_crosses_the_end_and_keeping_does_not_depend_on_the_label(data, horizon):
    labels, snapshots, end = data
    try:
        out = label_snapshots(snapshots, labels, horizon_days=horizon)
    except DatasetError:
        return
    assert (out["as_of"] + horizon * DAY <= end * DAY).all()
    # Had a closed account stayed open to the end instead, the same snapshots before its
    # closure would be kept: which snapshots survive says nothing about their label, so the
    # last window cannot fill up with positives.
    for account in labels.loc[labels["label"] == 1, "account"]:
        closed = int(labels.loc[labels["account"] == account, "labeled_at"].iloc[0])
        reopened = labels.copy()
        reopened.loc[reopened["account"] == account, ["label", "labeled_at"]] = [0, end * DAY]
        try:
            other = label_snapshots(snapshots, reopened, horizon_days=horizon)
        except DatasetError:
            continue
        mine = out.loc[out["account"] == account, "as_of"].tolist()
        theirs = other.loc[(other["account"] == account) & (other["as_of"] < closed), "as_of"]
        assert mine == theirs.tolist()
