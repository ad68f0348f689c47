"""Training engines: how features are built and where the booster is fit.

Every engine runs the same pure feature code (`features.compute_batch`) and the same booster
parameters (`training.steps.train.booster_params`); the rest of the pipeline (split,
calibration, evaluation, MLflow) does not know which engine ran. `pandas` works in this
process; `dask` spreads feature partitions and `xgboost.dask` training over a Dask cluster.
"""

from training.engines.base import (
    ENGINES,
    DaskConfig,
    Engine,
    EngineError,
    EngineName,
    open_engine,
)
from training.engines.device import DEVICES, Device, device_problem
from training.engines.local import PandasEngine

__all__ = [
    "DEVICES",
    "ENGINES",
    "DaskConfig",
    "Device",
    "Engine",
    "EngineError",
    "EngineName",
    "PandasEngine",
    "device_problem",
    "open_engine",
]
