"""Calibration: map the booster's margin to a probability of closure within the horizon."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

Method = Literal["sigmoid", "isotonic"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Calibrator:
    """A fitted margin -> probability map, held as plain arrays (no pickled estimator).

    sigmoid: p = 1 / (1 + exp(-(a * margin + b))). isotonic: piecewise-linear through
    (x, y) knots, clipped at both ends.
    """

    method: Method
    a: float = 1.0
    b: float = 0.0
    x: tuple[float, ...] = ()
    y: tuple[float, ...] = ()

    def __call__(self, margin: np.ndarray) -> np.ndarray:
        """Calibrated probabilities for raw margins."""
        margin = np.asarray(margin, dtype=np.float64)
        if self.method == "sigmoid":
            return 1.0 / (1.0 + np.exp(-(self.a * margin + self.b)))
        return np.asarray(np.interp(margin, self.x, self.y), dtype=np.float64)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form, for the logged model."""
        return {"method": self.method, "a": self.a, "b": self.b, "x": self.x, "y": self.y}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calibrator:
        """The inverse of `to_dict`."""
        if data["method"] not in ("sigmoid", "isotonic"):
            raise ValueError(f"unknown calibration method {data['method']!r}")
        return cls(
            method=data["method"],
            a=float(data["a"]),
            b=float(data["b"]),
            x=tuple(float(v) for v in data["x"]),
            y=tuple(float(v) for v in data["y"]),
        )


def fit_calibrator(
    margin: np.ndarray, target: np.ndarray, method: Method = "sigmoid"
) -> Calibrator:
    """Fit the margin -> probability map on the calibration split.

    Sigmoid (Platt scaling) is the default: with a handful of positives, isotonic regression
    collapses many accounts onto one flat step and so loses their ranking. Either way the map
    never decreases: a sigmoid whose fitted slope is not positive keeps slope 1.

    Args:
        margin: raw booster margins of the calibration snapshots.
        target: their 0/1 targets.
        method: "sigmoid" or "isotonic".

    Returns:
        The fitted Calibrator.
    """
    margin = np.asarray(margin, dtype=np.float64)
    target = np.asarray(target, dtype=np.int64)
    if len(np.unique(target)) < 2:
        raise ValueError("calibration needs both classes in the calibration split")
    if method == "sigmoid":
        model = LogisticRegression(C=1e4, max_iter=1000).fit(margin.reshape(-1, 1), target)
        slope = float(model.coef_[0, 0])
        if slope > 0:
            return Calibrator("sigmoid", a=slope, b=float(model.intercept_[0]))
        # Calibration may rescale the booster's ranking, never reverse it: a slope <= 0 comes
        # from a calibration split with too few positives to say anything about order.
        logger.warning(
            "calibration slope %.3g on %d positives: keeping the booster's scale (a=1) and "
            "fitting only the base rate",
            slope,
            int(target.sum()),
        )
        return Calibrator("sigmoid", a=1.0, b=_base_rate_offset(margin, target))
    if method == "isotonic":
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(margin, target)
        return Calibrator(
            "isotonic",
            x=tuple(float(v) for v in iso.X_thresholds_),
            y=tuple(float(v) for v in iso.y_thresholds_),
        )
    raise ValueError(f"unknown calibration method {method!r}")


def _base_rate_offset(margin: np.ndarray, target: np.ndarray) -> float:
    """The b of p = sigmoid(margin + b) whose mean probability is the observed rate (the
    maximum-likelihood intercept at slope 1), by bisection: the mean rises with b."""
    rate = float(target.mean())
    low, high = -50.0 - float(margin.max()), 50.0 - float(margin.min())
    for _ in range(100):
        middle = (low + high) / 2
        if float(np.mean(1.0 / (1.0 + np.exp(-(margin + middle))))) < rate:
            low = middle
        else:
            high = middle
    return (low + high) / 2
