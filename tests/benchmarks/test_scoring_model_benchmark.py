"""Benchmark: one account's model evaluation on the serving path, in µs, against the booster's
batch cost per row measured in the same run.

The model has the training defaults' largest shape (TrainConfig: depth 3, all 400 rounds, no
early stop) over every registry feature, trained on seeded synthetic rows with 30% missing.
Figures are medians of single calls:
- baseline: `inplace_predict` on 10,000 rows, divided by 10,000 (margins; 2 threads);
- the compiled one-row score (`RowScorer.score`: margin and calibration) and its margin alone;
- for contrast, the booster's own one-row calls: `inplace_predict` and `RiskModel.predict`;
- contributions (the reasons): `RowScorer.contributions` (tabulated TreeSHAP) next to the
  booster's batch `pred_contribs` per row (2,000 rows) and its one-row call.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import xgboost as xgb

from features import FEATURE_NAMES
from service.scoring.fast_path import RowScorer
from training.steps.calibrate import Calibrator
from training.steps.model import RiskModel
from training.steps.train import TrainConfig

BATCH = 10_000
CONTRIB_BATCH = 2_000


def _trained_model() -> RiskModel:
    config = TrainConfig()
    rng = np.random.default_rng(11)
    names = tuple(FEATURE_NAMES)
    matrix = rng.normal(size=(4_000, len(names))).astype(np.float32)
    logits = matrix[:, :8].sum(axis=1) + rng.normal(size=len(matrix))
    target = (logits > 2.5).astype(np.float32)
    matrix[rng.random(matrix.shape) < 0.3] = np.nan
    params = {
        "objective": "binary:logistic",
        "max_depth": config.max_depth,
        "learning_rate": config.learning_rate,
        "min_child_weight": config.min_child_weight,
        "subsample": config.subsample,
        "colsample_bytree": config.colsample_bytree,
        "max_delta_step": config.max_delta_step,
        "nthread": config.nthread,
        "seed": config.seed,
    }
    booster = xgb.train(
        params,
        xgb.DMatrix(matrix, label=target, feature_names=list(names)),
        num_boost_round=config.num_boost_round,
    )
    return RiskModel(booster, Calibrator("sigmoid", a=1.1, b=-0.3), names, "bench", 90)


def _median_us(call: Callable[[], Any], repeats: int, per: int = 1) -> float:
    call()  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) / per * 1e6


@pytest.mark.benchmark
def test_single_row_evaluation_against_booster_batch_per_row():
    model = _trained_model()
    scorer = RowScorer(model)
    rng = np.random.default_rng(12)
    rows = rng.normal(size=(BATCH, len(model.feature_names))).astype(np.float32)
    rows[rng.random(rows.shape) < 0.3] = np.nan
    row = rows[17]
    one = rows[17:18]
    values = dict(zip(model.feature_names, row.tolist(), strict=True))
    booster = model.booster

    batch = _median_us(lambda: booster.inplace_predict(rows, predict_type="margin"), 15, BATCH)
    compiled = _median_us(lambda: scorer.score(row), 3_000)
    margin = _median_us(lambda: scorer.margin(row), 3_000)
    to_row = _median_us(lambda: scorer.row(values), 3_000)
    inplace_one = _median_us(lambda: booster.inplace_predict(one, predict_type="margin"), 500)
    predict_one = _median_us(lambda: model.predict(one), 300)
    contrib_batch = _median_us(lambda: model.contributions(rows[:CONTRIB_BATCH]), 5, CONTRIB_BATCH)
    contrib_one = _median_us(lambda: scorer.contributions(row), 300)
    contrib_booster_one = _median_us(lambda: model.contributions(one), 100)
    batch_again = _median_us(
        lambda: booster.inplace_predict(rows, predict_type="margin"), 15, BATCH
    )

    print(
        f"\nmodel: {scorer.trees.n_trees} trees, depth {scorer.trees.depth}, "
        f"{len(model.feature_names)} features"
        f"\nbaseline booster batch (inplace_predict {BATCH:,} rows) per row: {batch:.2f} µs "
        f"(again at the end: {batch_again:.2f} µs)"
        f"\ncompiled one-row score (margin + calibration): {compiled:.1f} µs "
        f"= {compiled / batch:.1f}x the batch cost per row"
        f"\n  compiled margin alone: {margin:.1f} µs ({margin / batch:.1f}x); "
        f"feature dict -> float32 row: {to_row:.1f} µs"
        f"\nbooster one-row inplace_predict: {inplace_one:.1f} µs ({inplace_one / batch:.0f}x); "
        f"RiskModel.predict on one row: {predict_one:.1f} µs ({predict_one / batch:.0f}x); "
        f"compiled is {inplace_one / compiled:.1f}x faster than the former"
        f"\ncontributions one row (tabulated TreeSHAP): {contrib_one:.1f} µs "
        f"vs batch pred_contribs per row {contrib_batch:.1f} µs "
        f"({contrib_one / contrib_batch:.1f}x); the booster's one-row pred_contribs "
        f"{contrib_booster_one:.1f} µs ({contrib_booster_one / contrib_batch:.1f}x)"
    )
    assert scorer.score(row) == float(model.predict(one)[0])
