from __future__ import annotations

import numpy as np
import pytest
from steps_support import DRIVER, feature_frame, xy

from features import FEATURE_NAMES
from training.steps.model import RiskModel, describe_reason
from training.steps.train import positive_weight


def test_scores_are_probabilities_that_rank_the_driver(tiny_model):
    frame = feature_frame(600, 3)
    matrix, target = xy(frame)
    score = tiny_model.predict(matrix)
    assert ((score >= 0) & (score <= 1)).all()
    high = frame[DRIVER].to_numpy() > 0.8
    assert score[high].mean() > 2 * score[~high].mean()
    assert score.mean() == pytest.approx(target.mean(), abs=0.05)


def test_a_plus_one_feature_never_lowers_the_score(tiny_model):
    matrix, _ = xy(feature_frame(200, 4))
    column = FEATURE_NAMES.index(DRIVER)
    raised = matrix.copy()
    raised[:, column] = np.nan_to_num(raised[:, column]) + 0.3
    assert (tiny_model.predict(raised) >= tiny_model.predict(matrix) - 1e-7).all()


def test_reasons_name_features_pushing_the_score_up(tiny_model):
    frame = feature_frame(300, 5)
    matrix, _ = xy(frame)
    risky = matrix[frame[DRIVER].to_numpy() > 0.9]
    reasons = tiny_model.reasons(risky, top=3)
    assert all(len(r) <= 3 for r in reasons)
    assert sum(DRIVER in r for r in reasons) > len(reasons) / 2
    contributions = tiny_model.contributions(risky)
    assert contributions.shape == risky.shape
    for i, row in enumerate(reasons):
        for name in row:
            assert contributions[i, FEATURE_NAMES.index(name)] > 0


def test_save_and_load_give_identical_scores(tiny_model, tmp_path):
    tiny_model.save(tmp_path / "model")
    again = RiskModel.load(tmp_path / "model")
    matrix, _ = xy(feature_frame(100, 6))
    assert np.array_equal(again.predict(matrix), tiny_model.predict(matrix))
    assert again.feature_names == tiny_model.feature_names
    assert again.registry_version == tiny_model.registry_version


def test_matrix_orders_columns_and_names_what_is_missing(tiny_model):
    frame = feature_frame(5, 7)
    shuffled = frame[list(reversed(frame.columns))]
    assert np.array_equal(tiny_model.matrix(shuffled), tiny_model.matrix(frame), equal_nan=True)
    assert tiny_model.matrix(frame).dtype == np.float32
    with pytest.raises(KeyError, match=DRIVER):
        tiny_model.matrix(frame.drop(columns=[DRIVER]))


def test_positive_weight_balances_the_classes():
    assert positive_weight(np.array([1, 0, 0, 0])) == 3
    with pytest.raises(ValueError):
        positive_weight(np.zeros(3))


def test_reason_descriptions_come_from_the_registry():
    assert describe_reason(DRIVER) != DRIVER
    assert describe_reason("retired_feature") == "retired_feature"
