"""Where XGBoost grows trees: `cpu` everywhere, `cuda` only where a CUDA build meets a GPU.

XGBoost given `device="cuda"` without a usable GPU silently falls back to the CPU with a
warning; training asks up front instead, so `--device cuda` either really runs on a GPU or
fails before anything is written to MLflow.
"""

from __future__ import annotations

import json
import warnings
from typing import Literal

import numpy as np
import xgboost as xgb

Device = Literal["cpu", "cuda"]
DEVICES: tuple[Device, ...] = ("cpu", "cuda")


def cuda_problem() -> str | None:
    """Why `cuda` cannot be used here (no CUDA support in this XGBoost build, or no visible
    GPU), or None when it can."""
    if not xgb.build_info().get("USE_CUDA", False):
        return "this XGBoost build has no CUDA support"
    probe = xgb.DMatrix(np.zeros((2, 1), dtype=np.float32), label=[0.0, 1.0])
    with warnings.catch_warnings():
        # XGBoost warns that it falls back to the CPU; the config read below says so too.
        warnings.simplefilter("ignore")
        booster = xgb.train({"device": "cuda", "tree_method": "hist"}, probe, num_boost_round=1)
    used = json.loads(booster.save_config())["learner"]["generic_param"]["device"]
    if not str(used).startswith("cuda"):
        return "no CUDA GPU is visible to XGBoost"
    return None


def device_problem(device: str) -> str | None:
    """Why `device` cannot train here, or None when it can."""
    if device not in DEVICES:
        return f"unknown device {device!r} (expected one of {', '.join(DEVICES)})"
    return cuda_problem() if device == "cuda" else None
