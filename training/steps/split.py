"""The time split: train on the past, test on the future, never one account in two splits.

Accounts are divided into train, calibration and test groups by a stable hash of their id; the
test period starts at a quantile of `as_of` (`test_start`). The test group keeps its snapshots
from `test_start` on. The train and calibration groups keep only snapshots whose whole horizon
ends by `test_start` (`as_of + horizon <= test_start`): an embargo, so no outcome that train
learns from, that early stopping watches or that the calibrator fits resolves inside the test
period. (Without it, train snapshots of the last horizon before the test period carried
closures that happened during it.) Calibration is therefore a disjoint set of accounts over
the same past as train, not a later period: a period of its own between train and test would
need a second embargo and cost another horizon of data. So every test snapshot is later than
every outcome of train and calibration, no account contributes to two splits, and the test
split has the same mix of account ages as production (ordering accounts by signup instead
would fill the test split with the youngest accounts only).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from training.dataset import DatasetError
from training.steps.snapshots import DAY

SPLITS = ("train", "calibration", "test")


@dataclass(frozen=True)
class SplitConfig:
    """Shares of accounts per group, where the test period starts, and the fewest positives
    each split needs."""

    train: float = 0.6
    calibration: float = 0.2
    test_from: float = 0.6  # the as_of quantile at which the test period begins
    min_positives: int = 2

    def __post_init__(self) -> None:
        if not (0 < self.train and 0 < self.calibration and self.train + self.calibration < 1):
            raise ValueError("split shares must be positive and leave room for a test split")
        if not 0 < self.test_from < 1:
            raise ValueError("test_from must be a quantile strictly between 0 and 1")


def account_position(account: str) -> float:
    """A stable, uniform position in [0, 1) for an account id (the same on every run)."""
    digest = hashlib.sha256(account.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def start_of_test_period(labelled: pd.DataFrame, config: SplitConfig = SplitConfig()) -> int:
    """The first `as_of` of the test period: the `config.test_from` quantile of `as_of`."""
    return int(labelled["as_of"].quantile(config.test_from, interpolation="lower"))


def time_split(
    labelled: pd.DataFrame, config: SplitConfig = SplitConfig(), *, horizon_days: int
) -> pd.DataFrame:
    """Assign snapshots to train, calibration or test; snapshots that fit none are dropped.

    Args:
        labelled: account, as_of, target (from `label_snapshots`).
        config: group shares, the test period's start and the minimum positives per split.
        horizon_days: the target's horizon; train and calibration snapshots must have theirs
            end by the test period's start.

    Returns:
        A new frame: the kept rows with the input columns plus `split` (one of SPLITS).

    Raises:
        DatasetError: a split with fewer than `config.min_positives` positive snapshots.
    """
    accounts = labelled["account"].astype(str).unique()
    position = pd.Series([account_position(a) for a in accounts], index=accounts)
    where = labelled["account"].astype(str).map(position).to_numpy()
    group = np.asarray(SPLITS)[
        np.searchsorted((config.train, config.train + config.calibration), where, side="right")
    ]
    start = start_of_test_period(labelled, config)
    as_of = labelled["as_of"].to_numpy()
    resolved_before_test = as_of + horizon_days * DAY <= start
    keep = np.where(group == "test", as_of >= start, resolved_before_test)
    out = labelled.loc[keep].assign(split=group[keep]).reset_index(drop=True)
    positives = out.groupby("split")["target"].sum().reindex(SPLITS, fill_value=0)
    short = [f"{name} has {int(n)}" for name, n in positives.items() if n < config.min_positives]
    if short:
        raise DatasetError(
            "labels.csv",
            f"too few positive snapshots per split (need {config.min_positives}): "
            + ", ".join(short)
            + "; use a larger dataset or a longer observation period",
            column="label",
        )
    return out


def split_periods(frame: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """The first and last `as_of` of each split present in a `time_split` frame."""
    spans = frame.groupby("split")["as_of"].agg(["min", "max"])
    return {
        name: (int(spans.loc[name, "min"]), int(spans.loc[name, "max"])) for name in spans.index
    }


def split_frames(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The rows of each split, as new frames keyed by split name."""
    return {name: frame[frame["split"] == name].reset_index(drop=True) for name in SPLITS}
