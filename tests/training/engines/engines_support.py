"""Options shared by the engine tests."""

from __future__ import annotations

from training.engines import DaskConfig
from training.pipeline import TrainOptions
from training.steps.train import TrainConfig

# The CLI's local cluster: 2 worker threads of 1 thread each (DaskConfig's defaults, spelt out).
THREADS = DaskConfig(workers=2, threads=1, processes=False)
# One XGBoost thread: on a shared 2-core machine two OpenMP threads mostly wait on each other.
FAST = TrainOptions(
    booster=TrainConfig(num_boost_round=150, early_stopping_rounds=20, nthread=1), workers=1
)
