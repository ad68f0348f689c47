from __future__ import annotations

import numpy as np
import pytest

from training.steps.calibrate import Calibrator, fit_calibrator


def skewed(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    margin = rng.normal(size=4000)
    truth = 1 / (1 + np.exp(-(2 * margin - 3)))  # the booster's margin is off by scale and shift
    return margin, (rng.random(4000) < truth).astype(int)


@pytest.mark.parametrize("method", ["sigmoid", "isotonic"])
def test_calibrated_rates_match_observed_rates(method):
    margin, target = skewed(1)
    calibrator = fit_calibrator(margin, target, method)
    probability = calibrator(margin)
    assert probability.mean() == pytest.approx(target.mean(), abs=0.01)
    order = np.argsort(margin)
    assert np.all(np.diff(probability[order]) >= -1e-12)
    assert ((probability >= 0) & (probability <= 1)).all()


@pytest.mark.parametrize("method", ["sigmoid", "isotonic"])
def test_round_trips_through_its_dict(method):
    margin, target = skewed(2)
    calibrator = fit_calibrator(margin, target, method)
    again = Calibrator.from_dict(calibrator.to_dict())
    probe = np.linspace(-4, 4, 50)
    assert np.array_equal(again(probe), calibrator(probe))


def test_needs_both_classes():
    with pytest.raises(ValueError, match="both classes"):
        fit_calibrator(np.zeros(5), np.zeros(5))


def test_rejects_an_unknown_method():
    with pytest.raises(ValueError, match="unknown"):
        fit_calibrator(np.array([0.0, 1.0]), np.array([0, 1]), "beta")  # type: ignore[arg-type]
