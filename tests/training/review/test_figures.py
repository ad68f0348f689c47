"""The notebook figures render to PNG, including degenerate inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from training.review import figures
from training.review.drift import psi_table

PNG = b"\x89PNG\r\n\x1a\n"


def test_every_figure_is_a_png() -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    table = psi_table(frame, frame + 1, ["a", "b"])
    pngs = [
        figures.psi_png(table),
        figures.bar_png(pd.Series([3, 1], index=[0, 1]), "files", "accounts"),
        figures.lines_png(frame.head(5), "lines", "value"),
        figures.histograms_png({"x": rng.random(100), "y": rng.random(50)}, "h", "x"),
    ]
    assert all(png.startswith(PNG) for png in pngs)


def test_histograms_survive_empty_constant_and_non_positive_samples() -> None:
    samples = {"empty": np.array([]), "zeros": np.zeros(10), "one": np.array([5.0])}
    assert figures.histograms_png(samples, "h", "x", log_x=True).startswith(PNG)
    assert figures.histograms_png({"constant": np.ones(4)}, "h", "x").startswith(PNG)
