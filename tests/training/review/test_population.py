"""Scored populations of a dataset directory and the time split drift falls back to."""

from __future__ import annotations

import pandas as pd
import pytest

from training.review.population import scored_population, split_by_time


def test_scored_population_has_keys_features_and_a_score(dataset_dir, tiny_model) -> None:
    frame = scored_population(dataset_dir, tiny_model, cache_dir=dataset_dir.parent / "cache")
    assert list(frame.columns) == ["account", "as_of", *tiny_model.feature_names, "score"]
    assert sorted(frame["account"]) == ["acct_a", "acct_b", "acct_c"]
    assert frame["score"].between(0, 1).all()


def test_split_by_time_at_the_median_and_at_a_given_time() -> None:
    frame = pd.DataFrame({"as_of": [1, 2, 3, 4], "x": [0.1, 0.2, 0.3, 0.4]})
    early, late = split_by_time(frame)
    assert early["as_of"].tolist() == [1, 2] and late["as_of"].tolist() == [3, 4]
    early, late = split_by_time(frame, at=4)
    assert len(early) == 3 and len(late) == 1
    with pytest.raises(ValueError, match="one side empty"):
        split_by_time(frame, at=1)
    with pytest.raises(ValueError, match="no snapshots"):
        split_by_time(frame.iloc[:0])
