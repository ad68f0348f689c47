"""Which registered features the booster learns from."""

from __future__ import annotations

import pytest

from training.steps.train import TrainConfig, learned_features

NAMES = ("disputes", "volume", "account_age", "country_region")
MONOTONE = (1, 0, -1, 0)


def test_directional_keeps_the_features_with_a_stated_direction_in_order():
    assert learned_features(NAMES, MONOTONE) == (("disputes", "account_age"), (1, -1))


def test_all_keeps_every_feature():
    assert learned_features(NAMES, MONOTONE, "all") == (NAMES, MONOTONE)


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="differ in length"):
        learned_features(NAMES, MONOTONE[:2])


def test_the_feature_set_is_logged_with_the_booster_parameters():
    assert TrainConfig().params()["features"] == "directional"
