"""Small hand-built frames and a tiny trained RiskModel for the training steps' tests."""

from __future__ import annotations

import pandas as pd
import pytest
from steps_support import feature_frame, xy

from features import FEATURE_NAMES, monotone_constraints, registry_version
from training.steps.calibrate import fit_calibrator
from training.steps.model import RiskModel, booster_margin
from training.steps.train import TrainConfig, fit_booster


@pytest.fixture(scope="session")
def frames() -> dict[str, pd.DataFrame]:
    return {"train": feature_frame(1500, 1), "calibration": feature_frame(800, 2)}


@pytest.fixture(scope="session")
def tiny_model(frames: dict[str, pd.DataFrame]) -> RiskModel:
    train, calibration = xy(frames["train"]), xy(frames["calibration"])
    config = TrainConfig(num_boost_round=60, early_stopping_rounds=20)
    booster = fit_booster(
        train,
        calibration,
        feature_names=FEATURE_NAMES,
        monotone=monotone_constraints(),
        config=config,
    )
    margin = booster_margin(booster, calibration[0], FEATURE_NAMES)
    return RiskModel(
        booster, fit_calibrator(margin, calibration[1]), FEATURE_NAMES, registry_version(), 90
    )


@pytest.fixture
def labels() -> pd.DataFrame:
    """a: closed for risk on day 100; b: good, observed until day 200; c: closed on day 10."""
    day = 86_400
    return pd.DataFrame(
        {
            "account": ["acct_a", "acct_b", "acct_c"],
            "label": [1, 0, 1],
            "labeled_at": [100 * day, 200 * day, 10 * day],
        }
    )
