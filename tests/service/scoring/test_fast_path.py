"""The compiled one-row path equals the booster: margins within 1e-6 (bit-equal in practice),
the calibrated score equal to RiskModel.predict, the contributions the booster's own (tabulated
for the champion, XGBoost's for trees too deep to tabulate), over the trained champion and over
deeper, unbalanced trees, with missing values everywhere."""

from __future__ import annotations

import numpy as np
import pytest
import xgboost as xgb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.scoring.fast_path import CONTRIBUTION_TOLERANCE, RowScorer
from training.steps.calibrate import Calibrator
from training.steps.compiled import CompiledTrees
from training.steps.model import RiskModel
from training.steps.tree_shap import TreeShap

TOLERANCE = 1e-6


def _row_strategy(trees: CompiledTrees) -> st.SearchStrategy[np.ndarray]:
    """Rows whose values are missing, exactly a split threshold, one step off it, or wild."""
    thresholds = trees.thresholds[np.isfinite(trees.thresholds)].astype(float).tolist()
    threshold = st.sampled_from(thresholds)
    value = st.one_of(
        st.just(float("nan")),
        threshold,
        threshold.map(lambda t: float(np.nextafter(np.float32(t), np.float32(-np.inf)))),
        threshold.map(lambda t: float(np.nextafter(np.float32(t), np.float32(np.inf)))),
        st.floats(-1e6, 1e6, width=32),
    )
    return st.lists(value, min_size=trees.n_features, max_size=trees.n_features).map(
        lambda values: np.asarray(values, dtype=np.float32)
    )


def _random_rows(n_features: int, count: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = rng.normal(scale=50.0, size=(count, n_features)).astype(np.float32)
    rows[rng.random(rows.shape) < 0.4] = np.nan
    rows[: count // 10] = np.nan
    return rows


@pytest.fixture(scope="module")
def scorer(champion_model: RiskModel) -> RowScorer:
    return RowScorer(champion_model)


@pytest.fixture(scope="module")
def deep_model() -> RiskModel:
    """Depth-6 trees on data with many missing values: leaves at every depth, both default
    directions."""
    rng = np.random.default_rng(7)
    matrix = rng.normal(size=(600, 12)).astype(np.float32)
    target = ((np.nan_to_num(matrix[:, 0]) + matrix[:, 1] ** 2) > 1.0).astype(np.float32)
    matrix[rng.random(matrix.shape) < 0.3] = np.nan
    names = tuple(f"x{i}" for i in range(12))
    booster = xgb.train(
        {"max_depth": 6, "objective": "binary:logistic", "nthread": 1, "eta": 0.3},
        xgb.DMatrix(matrix, label=target, feature_names=list(names)),
        num_boost_round=40,
    )
    return RiskModel(booster, Calibrator("sigmoid", a=0.8, b=-0.2), names, "test", 30)


def test_compiled_margins_equal_the_champions_booster(champion_model, scorer):
    rows = _random_rows(len(champion_model.feature_names), 3000, seed=1)
    compiled = scorer.trees.margins(rows)
    booster = champion_model.margin(rows)
    assert np.max(np.abs(compiled - booster)) <= TOLERANCE
    scores = np.array([scorer.score(row) for row in rows])
    np.testing.assert_array_equal(scores, champion_model.predict(rows))


def test_compiled_trees_cover_every_booster_tree(champion_model, scorer):
    assert scorer.trees.n_trees == champion_model.booster.num_boosted_rounds()
    assert scorer.trees.n_features == len(champion_model.feature_names)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.data_too_large])
@given(data=st.data())
def test_any_row_scores_as_the_booster(data, champion_model, scorer):
    row = data.draw(_row_strategy(scorer.trees))
    matrix = row.reshape(1, -1)
    assert abs(scorer.margin(row) - float(champion_model.margin(matrix)[0])) <= TOLERANCE
    assert scorer.score(row) == float(champion_model.predict(matrix)[0])
    np.testing.assert_allclose(
        scorer.contributions(row),
        champion_model.contributions(matrix)[0],
        atol=CONTRIBUTION_TOLERANCE,
        rtol=0,
    )


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_deep_unbalanced_trees_score_as_the_booster(data, deep_model):
    scorer = RowScorer(deep_model)
    assert scorer.trees.depth == 6
    row = data.draw(_row_strategy(scorer.trees))
    matrix = row.reshape(1, -1)
    assert abs(scorer.margin(row) - float(deep_model.margin(matrix)[0])) <= TOLERANCE
    assert scorer.score(row) == float(deep_model.predict(matrix)[0])


def test_trees_too_deep_to_tabulate_keep_the_boosters_contributions(deep_model):
    with pytest.raises(ValueError, match="distinct features exceed"):
        TreeShap.from_booster(deep_model.booster)
    scorer = RowScorer(deep_model)
    rows = _random_rows(12, 50, seed=3) / np.float32(50.0)
    ours = np.array([scorer.contributions(row) for row in rows])
    np.testing.assert_allclose(ours, deep_model.contributions(rows), atol=TOLERANCE, rtol=0)


def test_deep_trees_over_many_rows(deep_model):
    scorer = RowScorer(deep_model)
    rows = _random_rows(12, 2000, seed=2) / np.float32(50.0)
    assert np.max(np.abs(scorer.trees.margins(rows) - deep_model.margin(rows))) <= TOLERANCE


def test_row_follows_the_models_feature_order(scorer, champion_model):
    names = champion_model.feature_names
    values = {name: float(i) for i, name in enumerate(reversed(names))}
    row = scorer.row(values)
    assert row.dtype == np.float32
    assert [float(v) for v in row] == [values[name] for name in names]
    with pytest.raises(KeyError):
        scorer.row({names[0]: 1.0})


def test_a_multiclass_booster_is_refused():
    rng = np.random.default_rng(0)
    booster = xgb.train(
        {"objective": "multi:softprob", "num_class": 3, "nthread": 1},
        xgb.DMatrix(rng.normal(size=(30, 3)), label=rng.integers(0, 3, 30)),
        num_boost_round=2,
    )
    with pytest.raises(ValueError, match="does not compile"):
        CompiledTrees.from_booster(booster)


def test_a_row_of_the_wrong_width_is_refused(scorer):
    with pytest.raises(ValueError, match="expected a row"):
        scorer.margin(np.zeros(scorer.trees.n_features + 1, dtype=np.float32))
