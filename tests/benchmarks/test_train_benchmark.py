"""Benchmark: `connect-risk train` end to end on 10,000 generated accounts (~1M transactions)
WITH their onboarding documents: load, document parsing, snapshots and features, booster,
calibration, evaluation, MLflow logging and registration, against the 3-minute target.

Generating the dataset is set-up, not timed. The run goes through `run_training` exactly as the
command does (no document cache, 2 parser processes); its steps are timed by wrapping the
pipeline's own functions (the real ones run), so one run gives the total and where it went.

Baseline, measured in the same run on the same training matrix: a bare `xgb.train` with the
booster's number of rounds and no constraints, weighting, early stopping, calibration or
evaluation. Set CONNECT_RISK_BENCH_ACCOUNTS to change the size for a trial.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import xgboost as xgb
from mlflow import MlflowClient

import training.pipeline
import training.registry
import training.steps.featurize
import training.tracking
from features import FEATURE_NAMES
from training.pipeline import Examples, TrainOptions, run_training
from training.synth.config import GeneratorConfig
from training.synth.dataset import generate

ACCOUNTS = int(os.environ.get("CONNECT_RISK_BENCH_ACCOUNTS", "10000"))
TARGET_SECONDS = 180.0

# (module, function name, label): the steps whose wall time is reported; nested ones are
# indented under the step that calls them.
STEPS = (
    (training.pipeline, "load_dataset", "load dataset"),
    (training.pipeline, "build_examples", "snapshots + features"),
    (training.steps.featurize, "parse_dataset_documents", "  document parsing"),
    (training.steps.featurize, "build_network", "  link network"),
    (training.steps.featurize, "compute_batch", "  feature vectors"),
    (training.pipeline, "fit_and_evaluate", "booster + calibration + evaluation"),
    (training.tracking, "log_risk_model", "log model to MLflow"),
    (training.registry, "register_challenger", "register challenger"),
)


def _timed(function: Callable[..., Any], label: str, seconds: dict[str, float]) -> Any:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[label] = seconds.get(label, 0.0) + time.perf_counter() - started

    return wrapper


@pytest.mark.benchmark
def test_train_end_to_end_with_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    generate(GeneratorConfig(accounts=ACCOUNTS, seed=5), data, workers=2)
    with (data / "transactions.csv").open() as handle:
        transactions = sum(1 for _ in handle) - 1
    documents = sum(1 for _ in (data / "documents").rglob("*.pdf"))
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")

    seconds: dict[str, float] = {}
    examples: list[Examples] = []
    for module, name, label in STEPS:
        if hasattr(module, name):  # a step renamed elsewhere is simply not itemised
            monkeypatch.setattr(module, name, _timed(getattr(module, name), label, seconds))
    build = training.pipeline.build_examples

    def capture(*args: Any, **kwargs: Any) -> Examples:
        result: Examples = build(*args, **kwargs)
        examples.append(result)
        return result

    monkeypatch.setattr(training.pipeline, "build_examples", capture)

    started = time.perf_counter()
    report = run_training(data, "bench", TrainOptions(workers=2))
    total = time.perf_counter() - started

    frame = examples[0].frame
    train = frame[frame["split"] == "train"]
    matrix = train[list(FEATURE_NAMES)].to_numpy(np.float32)
    label = train["target"].to_numpy()
    rounds = int(MlflowClient().get_run(report.run_id).data.params["boosted_rounds"])
    params = {"objective": "binary:logistic", "tree_method": "hist", "nthread": 2}
    started = time.perf_counter()
    xgb.train(params, xgb.DMatrix(matrix, label=label), num_boost_round=rounds)
    bare = time.perf_counter() - started

    print(
        f"\n{ACCOUNTS} accounts, {transactions} transactions, {documents} documents, "
        f"{len(frame)} labelled snapshots ({len(train)} train)"
    )
    print(
        f"train end to end {total:.1f} s vs target {TARGET_SECONDS:.0f} s = "
        f"{total / TARGET_SECONDS:.2f}x of the target"
    )
    for _, _, label_ in STEPS:
        if label_ in seconds:
            print(f"  {label_:<36} {seconds[label_]:7.1f} s  {seconds[label_] / total:5.1%}")
    fit = seconds.get("booster + calibration + evaluation", float("nan"))
    print(
        f"booster + calibration + evaluation {fit:.1f} s vs bare xgb.train ({rounds} rounds) "
        f"{bare:.1f} s = {fit / bare:.2f}x"
    )
    print(f"test roc_auc {report.metrics['roc_auc']:.3f}, ece {report.metrics['ece']:.4f}")
    assert 0.0 <= report.metrics["ece"] <= 1.0
