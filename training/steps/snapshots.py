"""Training snapshots and their target: which (account, as_of) pairs, and whether each one's
account was closed for risk within the horizon after it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from training.dataset import DatasetError

DAY = 86_400
ONBOARDING_DELAY = DAY  # the onboarding snapshot: one day after the account was created
SNAPSHOT_EVERY = 30 * DAY


def default_snapshots(
    accounts: Mapping[str, Mapping[str, Any]], labels: pd.DataFrame
) -> pd.DataFrame:
    """An onboarding snapshot per account (created + 1 day), then one every 30 days while
    before the account's labeled_at (its closure, or the end of observation).

    Args:
        accounts: Stripe Account objects by id (each needs `created`).
        labels: account, label, labeled_at as `training.dataset` reads labels.csv.

    Returns:
        A new frame with columns account, as_of (int64), in accounts order.
    """
    until = dict(zip(labels["account"], labels["labeled_at"], strict=True))
    rows: list[tuple[str, int]] = []
    for account, obj in accounts.items():
        if account not in until:
            continue
        created = obj.get("created")
        if not isinstance(created, int):
            raise DatasetError("accounts.jsonl", f"account {account} has no integer 'created'")
        times = np.arange(created + ONBOARDING_DELAY, until[account], SNAPSHOT_EVERY)
        rows.extend((account, int(t)) for t in times)
    return pd.DataFrame(rows, columns=["account", "as_of"]).astype({"as_of": "int64"})


def observation_end(labels: pd.DataFrame) -> int:
    """The one end of observation of a dataset: the latest label-0 `labeled_at`.

    The contract makes a label-0 `labeled_at` the end of observation (the export time), so the
    latest of them is the last moment at which "not closed" was still known. A closure's time
    says nothing about when observation stopped, so label-1 rows count only when the dataset
    has no label 0 at all (then the latest closure is the last moment anything was seen).

    Args:
        labels: account, label, labeled_at (at least one row).

    Returns:
        Unix seconds.
    """
    negatives = labels.loc[labels["label"] == 0, "labeled_at"]
    return int((negatives if len(negatives) else labels["labeled_at"]).max())


def label_snapshots(
    snapshots: pd.DataFrame, labels: pd.DataFrame, *, horizon_days: int = 90
) -> pd.DataFrame:
    """Attach the target and drop what cannot be a training example.

    target = 1 when the account's label is 1 and its labeled_at falls within `horizon_days`
    after as_of. Dropped: snapshots at or after labeled_at (the outcome is already known),
    snapshots of accounts without a label, and censored ones, whatever their label:

    - every snapshot whose horizon runs past the dataset's `observation_end`. Keeping the
      positives there (their closure is already known) while the negatives cannot be known yet
      would fill the last horizon of data with positives only;
    - a label-0 snapshot whose horizon runs past its own account's labeled_at (the end of that
      account's observation, when it is earlier than the dataset's).

    `onboarding` marks each account's first kept snapshot.

    Args:
        snapshots: account, as_of pairs (snapshots.csv or `default_snapshots`).
        labels: account, label, labeled_at.
        horizon_days: how far after as_of a closure still counts.

    Returns:
        A new frame: account, as_of, target (int64), onboarding (bool), sorted by as_of.

    Raises:
        DatasetError: no labels, or no snapshot with target 1.
    """
    if horizon_days <= 0:
        raise ValueError(f"horizon_days must be positive, got {horizon_days}")
    if labels.empty:
        raise DatasetError("labels.csv", "no labelled accounts")
    if int(labels["label"].sum()) == 0:
        raise DatasetError("labels.csv", "no positive labels (label = 1)", column="label")
    horizon = horizon_days * DAY
    merged = snapshots[["account", "as_of"]].merge(
        labels[["account", "label", "labeled_at"]], on="account", how="inner"
    )
    merged = merged[merged["as_of"] < merged["labeled_at"]]
    horizon_end = merged["as_of"] + horizon
    observed = horizon_end <= observation_end(labels)
    account_censored = (merged["label"] == 0) & (horizon_end > merged["labeled_at"])
    merged = merged[observed & ~account_censored]
    closed_soon = (merged["label"] == 1) & (merged["labeled_at"] - merged["as_of"] <= horizon)
    out = pd.DataFrame(
        {
            "account": merged["account"].astype(str),
            "as_of": merged["as_of"].astype("int64"),
            "target": closed_soon.astype("int64"),
        }
    ).sort_values(["as_of", "account"], kind="stable", ignore_index=True)
    out["onboarding"] = ~out["account"].duplicated()
    if int(out["target"].sum()) == 0:
        raise DatasetError(
            "labels.csv",
            f"no snapshot is followed by a closure within {horizon_days} days and observed "
            "for that long (check labeled_at against snapshots.csv or the accounts' created "
            "times)",
            column="labeled_at",
        )
    return out


def unlabelled_count(snapshots: pd.DataFrame, labels: pd.DataFrame) -> int:
    """How many snapshot accounts have no row in labels.csv (they are left out of training)."""
    return int((~snapshots["account"].isin(set(labels["account"]))).sum())
