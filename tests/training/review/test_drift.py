"""Population stability index: zero for the same population, grows with a shift, counts
missing values, and is read by the conventional thresholds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from training.review.drift import bin_edges, bin_shares, psi, psi_table, verdict

samples = arrays(
    np.float64,
    st.integers(1, 200),
    elements=st.one_of(st.floats(-1e6, 1e6), st.just(np.nan)),
)


@settings(max_examples=60, deadline=None)
@given(samples, samples)
def test_psi_is_never_negative(base: np.ndarray, later: np.ndarray) -> None:
    assert psi(base, later) >= 0


@settings(max_examples=60, deadline=None)
@given(samples, st.randoms(use_true_random=False))
def test_psi_of_a_reordered_copy_is_zero(base: np.ndarray, random) -> None:
    shuffled = base.copy()
    random.shuffle(shuffled)
    assert psi(base, shuffled) == pytest.approx(0.0, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(samples)
def test_bin_shares_sum_to_one(values: np.ndarray) -> None:
    shares = bin_shares(values, bin_edges(values))
    assert shares.sum() == pytest.approx(1.0)
    assert shares[-1] == pytest.approx(np.isnan(values).mean())


def test_psi_grows_with_the_shift() -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(size=5000)
    values = [psi(base, rng.normal(loc=shift, size=5000)) for shift in (0.0, 0.3, 1.0)]
    assert values[0] < 0.02 < values[1] < values[2]
    assert verdict(values[0]) == "stable" and verdict(values[2]) == "major"


def test_a_feature_that_stops_being_observed_is_drift() -> None:
    base = np.arange(1000, dtype=np.float64)
    later = base.copy()
    later[:500] = np.nan
    assert psi(base, later) > 0.25


def test_discrete_values_get_a_bin_each() -> None:
    base = np.array([0.0] * 90 + [1.0] * 10)
    assert list(bin_edges(base)) == [0.0, 1.0]
    assert list(bin_shares(base, bin_edges(base))) == [0.0, 0.9, 0.1, 0.0]
    assert psi(base, np.array([0.0] * 50 + [1.0] * 50)) > 0.25


def test_verdict_thresholds() -> None:
    assert [verdict(v) for v in (0.0, 0.099, 0.1, 0.2499, 0.25, 3.0)] == [
        "stable",
        "stable",
        "moderate",
        "moderate",
        "major",
        "major",
    ]


def test_empty_populations_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        psi(np.array([]), np.array([1.0]))
    with pytest.raises(ValueError, match="bins"):
        bin_edges(np.array([1.0]), bins=1)


def test_psi_table_orders_by_psi_and_reports_medians_and_missing() -> None:
    rng = np.random.default_rng(1)
    base = pd.DataFrame({"same": rng.normal(size=2000), "moved": rng.normal(size=2000)})
    later = pd.DataFrame({"same": rng.normal(size=1000), "moved": rng.normal(3, size=1000)})
    later.loc[:99, "same"] = np.nan
    table = psi_table(base, later, ["same", "moved"])
    assert list(table["column"]) == ["moved", "same"]
    moved = table.iloc[0]
    assert moved["verdict"] == "major" and moved["later_median"] == pytest.approx(3, abs=0.2)
    same = table.iloc[1]
    assert same["base_missing"] == 0 and same["later_missing"] == pytest.approx(0.1)
