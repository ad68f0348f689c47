"""Tabulated TreeSHAP equals XGBoost's own `pred_contribs` for any shallow ensemble: random
depths, repeated features on a path, missing values both ways, trees without a split, and
monotone constraints; deeper paths are refused rather than tabulated."""

from __future__ import annotations

import numpy as np
import pytest
import xgboost as xgb
from hypothesis import given, settings
from hypothesis import strategies as st

from training.steps.tree_shap import MAX_PLAYERS, TreeShap

# XGBoost accumulates contributions in float32; the tables work in float64.
TOLERANCE = 1e-5


def _booster(seed: int, depth: int, rounds: int, features: int, **params: object) -> xgb.Booster:
    rng = np.random.default_rng(seed)
    matrix = rng.normal(size=(400, features)).astype(np.float32)
    matrix[:, 0] = np.round(matrix[:, 0])  # few distinct values: rows exactly on thresholds
    target = (matrix[:, 0] + matrix[:, 1] * matrix[:, -1] + rng.normal(size=400) > 0).astype(int)
    matrix[rng.random(matrix.shape) < 0.25] = np.nan
    return xgb.train(
        {"max_depth": depth, "eta": 0.3, "objective": "binary:logistic", "nthread": 1, **params},
        xgb.DMatrix(matrix, label=target),
        num_boost_round=rounds,
    )


def _rows(booster: xgb.Booster, seed: int, count: int = 64) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = rng.normal(size=(count, booster.num_features())).astype(np.float32)
    rows[:, 0] = np.round(rows[:, 0])
    rows[rng.random(rows.shape) < 0.3] = np.nan
    rows[0] = np.nan
    return rows


def _assert_equal_to_xgboost(booster: xgb.Booster, rows: np.ndarray) -> None:
    tables = TreeShap.from_booster(booster)
    expected = booster.predict(xgb.DMatrix(rows), pred_contribs=True)[:, :-1]
    ours = np.array([tables.contributions(row) for row in rows])
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, atol=TOLERANCE, rtol=0)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    depth=st.integers(1, MAX_PLAYERS),
    rounds=st.integers(1, 30),
    features=st.integers(2, 8),
)
def test_contributions_equal_xgboost_for_any_shallow_ensemble(seed, depth, rounds, features):
    booster = _booster(seed, depth, rounds, features)
    _assert_equal_to_xgboost(booster, _rows(booster, seed + 1))


def test_monotone_constrained_trees_as_the_service_trains_them():
    booster = _booster(3, 3, 200, 6, monotone_constraints="(1,-1,0,0,0,1)")
    _assert_equal_to_xgboost(booster, _rows(booster, 4, count=200))


def test_trees_without_a_split_contribute_nothing():
    # A huge minimum child weight stops every split: each tree is a lone leaf.
    booster = _booster(5, 3, 4, 3, min_child_weight=1e9)
    tables = TreeShap.from_booster(booster)
    assert not np.any(tables.contributions(_rows(booster, 6)[1]))
    _assert_equal_to_xgboost(booster, _rows(booster, 6))


def test_paths_with_more_features_than_tabulated_are_refused():
    booster = _booster(7, MAX_PLAYERS + 3, 20, 12, eta=0.5, min_child_weight=0)
    with pytest.raises(ValueError, match="distinct features exceed"):
        TreeShap.from_booster(booster)
