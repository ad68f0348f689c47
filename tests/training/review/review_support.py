"""Hand-built feature frames shared by the review helpers' tests and their fixtures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features import FEATURE_NAMES

DRIVER = "dispute_rate_count_all"  # registered with monotone +1


def feature_frame(rows: int, seed: int) -> pd.DataFrame:
    """Random registered features where risk rises with DRIVER."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(rows, len(FEATURE_NAMES))), columns=list(FEATURE_NAMES))
    frame[DRIVER] = rng.random(rows)
    frame.insert(0, "target", (rng.random(rows) < 0.02 + 0.5 * frame[DRIVER] ** 4).astype("int64"))
    return frame
