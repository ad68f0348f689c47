"""The time split: train on the past, test on the future, never one account in two splits.

Accounts are divided into train, calibration and test groups by a stable hash of their id; the
test period starts at a quantile of `as_of`. Train keeps its group's snapshots from before the
test period, test its group's snapshots from the test period on, and calibration its group's
snapshots of any time. So every test snapshot is later than every train snapshot, no account
contributes to two splits, and the test split has the same mix of account ages as production
(ordering accounts by signup instead would fill the test split with the youngest accounts only).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from training.dataset import DatasetError

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


def time_split(labelled: pd.DataFrame, config: SplitConfig = SplitConfig()) -> pd.DataFrame:
    """Assign snapshots to train, calibration or test; snapshots that fit none are dropped.

    Args:
        labelled: account, as_of, target (from `label_snapshots`).
        config: group shares, the test period's start and the minimum positives per split.

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
    test_start = labelled["as_of"].quantile(config.test_from, interpolation="lower")
    in_test_period = labelled["as_of"].to_numpy() >= test_start
    keep = (
        ((group == "train") & ~in_test_period)
        | (group == "calibration")
        | ((group == "test") & in_test_period)
    )
    out = labelled.loc[keep].assign(split=group[keep]).reset_index(drop=True)
    positives = out.groupby("split")["target"].sum().reindex(SPLITS, fill_value=0)
    short = [f"{name} has {int(n)}" for name, n in positives.items() if n < config.min_positives]
    if short:
        raise DatasetError(
            "labels.csv",
            f"too few positive snapshots per split (need {config.min_positives}): "
            + ", ".join(short)
            + "; use a larger dataset or a longer --horizon-days",
            column="label",
        )
    return out


def split_frames(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The rows of each split, as new frames keyed by split name."""
    return {name: frame[frame["split"] == name].reset_index(drop=True) for name in SPLITS}
