from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

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


def test_a_reversed_calibration_split_never_reverses_the_ranking(caplog):
    # Two positives among the lowest margins: Platt scaling alone would fit a negative slope.
    margin = np.linspace(-3.0, 3.0, 200)
    target = np.zeros(200, dtype=int)
    target[[3, 10]] = 1
    with caplog.at_level("WARNING"):
        calibrator = fit_calibrator(margin, target, "sigmoid")
    assert calibrator.a == 1.0
    probability = calibrator(margin)
    assert np.all(np.diff(probability) > 0)
    assert probability.mean() == pytest.approx(target.mean(), rel=1e-6)
    assert "keeping the booster's scale" in caplog.text


@given(
    margin=arrays(np.float64, st.integers(4, 60), elements=st.floats(-8, 8)),
    seed=st.integers(0, 2**32 - 1),
    method=st.sampled_from(["sigmoid", "isotonic"]),
)
@settings(max_examples=60, deadline=None)
def test_calibration_never_decreases_in_the_margin(margin, seed, method):
    rng = np.random.default_rng(seed)
    target = rng.integers(0, 2, size=len(margin))
    target[:2] = [0, 1]  # both classes
    probability = fit_calibrator(margin, target, method)(np.sort(margin))
    assert np.all(np.diff(probability) >= -1e-12)
