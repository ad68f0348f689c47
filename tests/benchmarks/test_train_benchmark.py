"""Benchmark: train on 10,000 generated accounts end to end (snapshots, features, booster,
calibration, evaluation), without documents.

Baseline, measured in the same run on the same matrix: a bare `xgb.train` with the same rounds
and no constraints, weighting, early stopping, calibration or evaluation. The figure is the
booster step's time as a ratio of it; the feature step is printed beside it for scale.
Set CONNECT_RISK_BENCH_ACCOUNTS to change the size.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import xgboost as xgb

from features import FEATURE_NAMES
from training.dataset import load_dataset
from training.pipeline import TrainOptions, build_examples, fit_and_evaluate
from training.synth.config import GeneratorConfig
from training.synth.dataset import generate

ACCOUNTS = int(os.environ.get("CONNECT_RISK_BENCH_ACCOUNTS", "10000"))


def _median_seconds(work: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@pytest.mark.benchmark
def test_train_end_to_end(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    generate(GeneratorConfig(accounts=ACCOUNTS, seed=5, render_documents=False), data, workers=2)
    options = TrainOptions(workers=2)
    started = time.perf_counter()
    examples = build_examples(load_dataset(data), options).frame
    feature_seconds = time.perf_counter() - started
    trained = fit_and_evaluate(examples, options)
    rounds = trained.model.booster.num_boosted_rounds()
    train = examples[examples["split"] == "train"]
    matrix = train[list(FEATURE_NAMES)].to_numpy(np.float32)
    label = train["target"].to_numpy()

    def bare() -> None:
        params = {"objective": "binary:logistic", "tree_method": "hist", "nthread": 2}
        xgb.train(params, xgb.DMatrix(matrix, label=label), num_boost_round=rounds)

    ours = _median_seconds(lambda: fit_and_evaluate(examples, options), 3)
    baseline = _median_seconds(bare, 3)
    print(
        f"\n{ACCOUNTS} accounts, {len(examples)} snapshots: features {feature_seconds:.1f} s; "
        f"fit+calibrate+evaluate {ours:.2f} s vs bare xgb.train ({rounds} rounds) "
        f"{baseline:.2f} s = {ours / baseline:.2f}x"
    )
    assert trained.test["score"].between(0, 1).all()
