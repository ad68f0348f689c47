"""One account's score without pandas, pyfunc or a per-request XGBoost call.

`RowScorer` is built once per loaded model (off the request path) from that model's own
booster: the trees compiled to flat arrays (`training.steps.compiled`), the calibrator, and the
feature order. Scoring a request is a float32 row in that order, the compiled margin and the
calibrator: the same number `RiskModel.predict` gives. Per-feature contributions (the reasons)
are the booster's exact TreeSHAP, from tables built once (`training.steps.tree_shap`); a model
too deep for those tables keeps XGBoost's own TreeSHAP on a one-row DMatrix. Both forms are
checked against the booster when the scorer is built, and a model that disagrees is refused.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xgboost as xgb

from training.steps.compiled import CompiledTrees
from training.steps.model import RiskModel
from training.steps.tree_shap import TreeShap

# How far the compiled margin may stray from the booster's before the model is refused.
TOLERANCE = 1e-6
# The same for contributions: XGBoost sums them in float32, the tables in float64.
CONTRIBUTION_TOLERANCE = 1e-5


class RowScorer:
    """Scores one feature row with `model`'s compiled trees and calibrator."""

    def __init__(self, model: RiskModel) -> None:
        self.model = model
        self.feature_names = model.feature_names
        self.trees = CompiledTrees.from_booster(model.booster)
        if self.trees.n_features != len(self.feature_names):
            raise ValueError(
                f"the booster has {self.trees.n_features} features, the model names "
                f"{len(self.feature_names)}"
            )
        # A private copy on one thread: a one-row prediction gains nothing from the pool, and
        # the training-side booster keeps its own settings.
        self._booster = model.booster.copy()
        self._booster.set_param({"nthread": 1})
        try:
            self._shap: TreeShap | None = TreeShap.from_booster(self._booster)
        except ValueError:
            self._shap = None
        self._check_against_booster()

    def row(self, values: Mapping[str, float]) -> np.ndarray:
        """The float32 row of `values` in the model's feature order (KeyError if one lacks)."""
        return np.fromiter(
            (values[name] for name in self.feature_names),
            dtype=np.float32,
            count=len(self.feature_names),
        )

    def margin(self, row: np.ndarray) -> float:
        """The booster's raw margin for `row`."""
        return self.trees.margin_row(row)

    def score(self, row: np.ndarray) -> float:
        """The calibrated probability: what `RiskModel.predict` gives for this row."""
        margin = np.array([self.trees.margin_row(row)], dtype=np.float32)
        return float(self.model.calibrator(margin)[0])

    def contributions(self, row: np.ndarray) -> np.ndarray:
        """Per-feature margin contributions (exact TreeSHAP) for `row`, bias dropped."""
        if self._shap is not None:
            return self._shap.contributions(row)
        return self._booster_contributions(row)

    def _booster_contributions(self, row: np.ndarray) -> np.ndarray:
        matrix = xgb.DMatrix(np.asarray(row, dtype=np.float32).reshape(1, -1), nthread=1)
        # The row is in the booster's own column order by construction; skipping the name check
        # avoids building a named DMatrix per request.
        values = self._booster.predict(matrix, pred_contribs=True, validate_features=False)
        result: np.ndarray = values[0, :-1]
        return result

    def _check_against_booster(self) -> None:
        """Refuse a booster whose compiled margins or contributions differ from its own (rows
        of every split threshold, their neighbours and all-missing)."""
        rows = _probe_rows(self.trees)
        expected = self._booster.inplace_predict(rows, predict_type="margin")
        worst = float(np.max(np.abs(self.trees.margins(rows) - expected)))
        if not worst <= TOLERANCE:
            raise ValueError(f"compiled trees differ from the booster by {worst:.3g}")
        if self._shap is None:
            return
        matrix = xgb.DMatrix(rows, nthread=1)
        expected = self._booster.predict(matrix, pred_contribs=True, validate_features=False)
        expected = expected[:, :-1]
        tabulated = np.array([self._shap.contributions(row) for row in rows])
        worst = float(np.max(np.abs(tabulated - expected)))
        if not worst <= CONTRIBUTION_TOLERANCE:
            raise ValueError(f"tabulated contributions differ from the booster by {worst:.3g}")


def _probe_rows(trees: CompiledTrees, count: int = 32) -> np.ndarray:
    """Rows that hit split thresholds exactly, just below them, and missing values."""
    rng = np.random.default_rng(0)
    rows = np.full((count, trees.n_features), np.nan, dtype=np.float32)
    finite = np.isfinite(trees.thresholds)
    features = trees.features[finite]
    thresholds = trees.thresholds[finite]
    for i in range(1, count):
        if len(features) == 0:
            break
        picks = rng.integers(0, len(features), size=min(len(features), trees.n_features))
        shift = np.float32(-np.inf if i % 2 else np.inf)
        values = thresholds[picks] if i % 3 else np.nextafter(thresholds[picks], shift)
        rows[i, features[picks]] = values
    return rows
