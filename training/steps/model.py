"""RiskModel: booster + calibrator + feature names; scores snapshots and explains them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xgboost as xgb

from features import spec_of
from training.steps.calibrate import Calibrator

BOOSTER_FILE = "booster.ubj"
META_FILE = "risk_model.json"


@dataclass(frozen=True)
class RiskModel:
    """Everything needed to score: the booster, its calibrator, the feature names in the order
    the booster expects, the feature-registry version they came from and the horizon."""

    booster: xgb.Booster
    calibrator: Calibrator
    feature_names: tuple[str, ...]
    registry_version: str
    horizon_days: int

    def matrix(self, frame: pd.DataFrame) -> np.ndarray:
        """The float32 matrix of `frame`'s feature columns in this model's order."""
        missing = [name for name in self.feature_names if name not in frame.columns]
        if missing:
            raise KeyError(f"frame lacks model features: {', '.join(missing[:5])}")
        return np.asarray(frame.loc[:, list(self.feature_names)], dtype=np.float32)

    def _dmatrix(self, matrix: np.ndarray) -> xgb.DMatrix:
        return _dmatrix(matrix, self.feature_names)

    def margin(self, matrix: np.ndarray) -> np.ndarray:
        """Raw booster margins (log-odds before calibration)."""
        return booster_margin(self.booster, matrix, self.feature_names)

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        """Calibrated probabilities of closure within the horizon."""
        return self.calibrator(self.margin(matrix))

    def contributions(self, matrix: np.ndarray) -> np.ndarray:
        """Per-feature margin contributions (SHAP values), shape (rows, features); the bias
        column is dropped."""
        values = self.booster.predict(self._dmatrix(matrix), pred_contribs=True)
        return values[:, :-1]

    def reasons(self, matrix: np.ndarray, top: int = 3) -> list[tuple[str, ...]]:
        """For each row, up to `top` features pushing its score up most (positive contribution),
        strongest first."""
        values = self.contributions(matrix)
        order = np.argsort(-values, axis=1, kind="stable")[:, :top]
        return [
            tuple(self.feature_names[j] for j in row if values[i, j] > 0)
            for i, row in enumerate(order)
        ]

    def save(self, directory: Path) -> None:
        """Write the booster (UBJSON) and a JSON file of the rest into `directory`."""
        directory.mkdir(parents=True, exist_ok=True)
        self.booster.save_model(str(directory / BOOSTER_FILE))
        meta = {
            "calibrator": self.calibrator.to_dict(),
            "feature_names": list(self.feature_names),
            "registry_version": self.registry_version,
            "horizon_days": self.horizon_days,
        }
        (directory / META_FILE).write_text(json.dumps(meta, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> RiskModel:
        """Read a model written by `save`."""
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        booster = xgb.Booster()
        booster.load_model(str(directory / BOOSTER_FILE))
        return cls(
            booster=booster,
            calibrator=Calibrator.from_dict(meta["calibrator"]),
            feature_names=tuple(meta["feature_names"]),
            registry_version=str(meta["registry_version"]),
            horizon_days=int(meta["horizon_days"]),
        )


def _dmatrix(matrix: np.ndarray, feature_names: tuple[str, ...]) -> xgb.DMatrix:
    return xgb.DMatrix(np.asarray(matrix, dtype=np.float32), feature_names=list(feature_names))


def booster_margin(
    booster: xgb.Booster, matrix: np.ndarray, feature_names: tuple[str, ...]
) -> np.ndarray:
    """Raw margins of a booster on a float32 matrix whose columns are `feature_names`."""
    return booster.predict(_dmatrix(matrix, feature_names), output_margin=True)


def describe_reason(name: str) -> str:
    """The registry's human description of a reason code (the feature name itself when the
    feature is no longer registered)."""
    try:
        return spec_of(name).description
    except KeyError:
        return name
