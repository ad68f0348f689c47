from __future__ import annotations

import pytest
from steps_support import feature_frame

from training.scoring import (
    BAND_NAMES,
    SCORE_COLUMNS,
    ScoringError,
    band_of,
    parse_bands,
    score_frame,
)


def test_bands_follow_the_thresholds():
    assert band_of([0.0, 0.05, 0.19, 0.2, 0.7], (0.05, 0.2, 0.5)) == [
        "low",
        "medium",
        "medium",
        "high",
        "severe",
    ]


@pytest.mark.parametrize("text", ["0.2,0.1", "0,0.5", "a,b", "0.1,0.2,0.3,0.4", "1.5"])
def test_bad_thresholds_are_rejected(text):
    with pytest.raises(ValueError):
        parse_bands(text)


def test_parse_bands_reads_increasing_thresholds():
    assert parse_bands("0.1,0.3") == (0.1, 0.3)
    assert len(BAND_NAMES) == 4


def test_score_frame_writes_the_contract_columns(tiny_model):
    frame = feature_frame(20, 8).assign(account=[f"acct_{i}" for i in range(20)], as_of=5)
    out = score_frame(frame, ["US:company"] * 20, tiny_model, "provider-risk/1")
    assert tuple(out.columns) == SCORE_COLUMNS
    assert out["score"].between(0, 1).all()
    assert set(out["band"]) <= set(BAND_NAMES)
    assert (out["model_version"] == "provider-risk/1").all()


def test_score_frame_refuses_another_registry(tiny_model):
    from dataclasses import replace

    stale = replace(tiny_model, registry_version="000000000000")
    frame = feature_frame(3, 9).assign(account="acct_a", as_of=1)
    with pytest.raises(ScoringError, match="registry"):
        score_frame(frame, ["US:company"] * 3, stale, "provider-risk/1")
