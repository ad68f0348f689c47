"""Benchmark: batch scoring throughput of the `connect-risk score` path (training/scoring.py:
load the dataset, documents, features, calibrated scores, reason codes, bands, scores.csv) in
snapshots per second.

Set-up, not timed: generate 2,000 accounts with documents and train a model on them, which also
fills the parsed-document cache; scoring then reads documents from that cache, as a scheduled
re-score does (parsing throughput has its own benchmark). Baselines in the same run, on the same
snapshots: the feature step alone (load, cached documents, features) and a bare booster predict
on the same feature matrix (building its DMatrix included).
Set CONNECT_RISK_BENCH_SCORE_ACCOUNTS to change the size.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xgboost as xgb

from training.dataset import load_dataset
from training.featurize import featurize, parse_dataset_documents
from training.pipeline import TrainOptions, build_examples, fit_and_evaluate
from training.scoring import ScoringOptions, score_dataset
from training.synth.config import GeneratorConfig
from training.synth.dataset import generate

ACCOUNTS = int(os.environ.get("CONNECT_RISK_BENCH_SCORE_ACCOUNTS", "2000"))
REPEATS = 3


def _median_seconds(work: Callable[[], Any]) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@pytest.mark.benchmark
def test_batch_score_throughput(tmp_path: Path) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    data.mkdir()
    generate(GeneratorConfig(accounts=ACCOUNTS, seed=5), data, workers=2)
    options = TrainOptions(cache_dir=cache, workers=2)
    model = fit_and_evaluate(build_examples(load_dataset(data), options).frame, options).model
    scoring = ScoringOptions(cache_dir=cache, workers=2)
    out = tmp_path / "scores.csv"

    def score() -> None:
        score_dataset(data, model, "bench", scoring).to_csv(out, index=False)

    def features_only() -> Any:
        dataset = load_dataset(data)
        evidence = parse_dataset_documents(dataset, cache_dir=cache, workers=2)
        return featurize(dataset, evidence.by_account)

    features = features_only()
    snapshots = len(features)
    matrix = model.matrix(features)
    names = list(model.feature_names)

    scored = _median_seconds(score)
    featured = _median_seconds(features_only)
    bare = _median_seconds(lambda: model.booster.predict(xgb.DMatrix(matrix, feature_names=names)))
    rate, feature_rate, bare_rate = (snapshots / s for s in (scored, featured, bare))
    print(
        f"\nscore {snapshots} snapshots of {ACCOUNTS} accounts: {scored:.2f} s = "
        f"{rate:,.0f} snapshots/s"
    )
    print(
        f"  features alone {featured:.2f} s = {feature_rate:,.0f} snapshots/s; "
        f"scoring costs {scored / featured:.2f}x the feature step"
    )
    print(
        f"  bare booster predict {bare * 1000:.1f} ms = {bare_rate:,.0f} snapshots/s; "
        f"scoring is {bare_rate / rate:,.0f}x slower"
    )
    written = out.read_text().count("\n") - 1
    assert written == snapshots
