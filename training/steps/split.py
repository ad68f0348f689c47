"""The time split: train / calibration / test by when each account was first seen, so no
account is in two splits and every test account came after every train account."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from training.dataset import DatasetError

SPLITS = ("train", "calibration", "test")


@dataclass(frozen=True)
class SplitConfig:
    """Shares of snapshots per split (by time) and the fewest positives each split needs."""

    train: float = 0.6
    calibration: float = 0.2
    min_positives: int = 2

    def __post_init__(self) -> None:
        if not (0 < self.train and 0 < self.calibration and self.train + self.calibration < 1):
            raise ValueError("split shares must be positive and leave room for a test split")


def time_split(labelled: pd.DataFrame, config: SplitConfig = SplitConfig()) -> pd.DataFrame:
    """Assign each account, with all its snapshots, to one split.

    Accounts are ordered by their first snapshot's as_of; the first accounts holding
    `config.train` of all snapshots go to train, the next `config.calibration` to
    calibration, the rest to test. An account's later snapshots follow it, so a split never
    shares an account with another, at the cost of some overlap in as_of between splits.

    Args:
        labelled: account, as_of, target (from `label_snapshots`).
        config: shares and the minimum positives per split.

    Returns:
        A new frame: the input columns plus `split` (one of SPLITS).

    Raises:
        DatasetError: a split with fewer than `config.min_positives` positive snapshots.
    """
    first = labelled.groupby("account", sort=False)["as_of"].min()
    sizes = labelled.groupby("account", sort=False).size().reindex(first.index)
    order = np.lexsort((first.index.to_numpy(dtype=str), first.to_numpy()))
    cumulative = np.cumsum(sizes.to_numpy()[order]) / len(labelled)
    bounds = (config.train, config.train + config.calibration)
    # An account goes to the split its first snapshot's cumulative share starts in.
    start = cumulative - sizes.to_numpy()[order] / len(labelled)
    which = np.searchsorted(bounds, start, side="right")
    assigned = pd.Series(np.asarray(SPLITS)[which], index=first.index[order])
    out = labelled.assign(split=labelled["account"].map(assigned).to_numpy())
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
