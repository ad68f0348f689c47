"""Hand-built feature frames shared by the training steps' tests and their fixtures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features import FEATURE_NAMES

DRIVER = "dispute_rate_count_all"  # registered with monotone +1


def feature_frame(rows: int, seed: int) -> pd.DataFrame:
    """Random registered features where risk rises with DRIVER (plus noise)."""
    rng = np.random.default_rng(seed)
    values = rng.normal(size=(rows, len(FEATURE_NAMES)))
    values[rng.random(values.shape) < 0.05] = np.nan
    frame = pd.DataFrame(values, columns=list(FEATURE_NAMES))
    driver = rng.random(rows)
    frame[DRIVER] = driver
    frame.insert(0, "target", (rng.random(rows) < 0.02 + 0.5 * driver**4).astype("int64"))
    return frame


def xy(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return frame[list(FEATURE_NAMES)].to_numpy(np.float32), frame["target"].to_numpy()
