"""Reason-code frequencies over a holdout, and the highest-scored share of rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from review_support import DRIVER, feature_frame

from features import spec_of
from training.review.reasons import explain, reason_frequency, split_reasons, top_share


def test_reason_frequency_counts_first_and_anywhere() -> None:
    rows = [("a", "b"), ("b", "a", "c"), ("a",), ()]
    table = reason_frequency(rows).set_index("reason")
    assert list(table.index) == ["a", "b", "c"]
    assert table.loc["a", ["first", "anywhere"]].tolist() == [2, 3]
    assert table.loc["b", ["first", "anywhere"]].tolist() == [1, 2]
    assert table.loc["c", ["first", "anywhere"]].tolist() == [0, 1]
    assert table.loc["a", "share_anywhere"] == pytest.approx(3 / 4)
    assert table["share_first"].sum() == pytest.approx(3 / 4)  # one row has no reason


def test_reason_frequency_describes_registered_features() -> None:
    table = reason_frequency([(DRIVER,), ("not_a_feature",)]).set_index("reason")
    assert table.loc[DRIVER, "description"] == spec_of(DRIVER).description
    assert table.loc["not_a_feature", "description"] == "not_a_feature"


def test_reason_frequency_of_nothing_is_an_empty_table() -> None:
    table = reason_frequency([])
    assert table.empty and "share_first" in table.columns


def test_split_reasons_reads_scores_csv_strings() -> None:
    joined = pd.Series(["a;b", "", np.nan, "c"])
    assert split_reasons(joined) == [("a", "b"), (), (), ("c",)]


def test_explain_scores_and_names_the_driver(tiny_model) -> None:
    frame = feature_frame(300, 9)
    frame.index = frame.index + 1000  # results stay aligned with the caller's index
    explained = explain(tiny_model, frame)
    assert explained.index.equals(frame.index)
    assert explained["score"].between(0, 1).all()
    risky = explained.loc[frame[DRIVER].nlargest(20).index, "reasons"]
    assert all(DRIVER in codes.split(";") for codes in risky)


def test_top_share_marks_the_highest_scores() -> None:
    scores = pd.Series([0.1, 0.9, 0.5, 0.7], index=list("wxyz"))
    assert top_share(scores, 0.5).tolist() == [False, True, False, True]
    assert top_share(scores, 0.01).sum() == 1
    with pytest.raises(ValueError, match="share"):
        top_share(scores, 0)
