"""Fit the XGBoost booster: hist trees, class weighting, monotone constraints, early stopping."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import xgboost as xgb

# Which registered features the booster learns from (see `learned_features`).
FeatureSet = Literal["directional", "all"]


@dataclass(frozen=True)
class TrainConfig:
    """Booster hyper-parameters; the defaults suit a few thousand accounts."""

    max_depth: int = 3
    learning_rate: float = 0.05
    num_boost_round: int = 400
    early_stopping_rounds: int = 40
    min_child_weight: float = 10.0
    subsample: float = 0.9
    colsample_bytree: float = 0.5
    reg_lambda: float = 1.0
    # Bounds each leaf's step: XGBoost's advice for logistic loss on very imbalanced classes.
    max_delta_step: float = 1.0
    seed: int = 0
    nthread: int = 2
    features: FeatureSet = "directional"
    extra: Mapping[str, object] = field(default_factory=dict)

    def params(self) -> dict[str, object]:
        """The flat parameter dict, as logged to MLflow."""
        return {
            "max_depth": self.max_depth,
            "learning_rate": self.learning_rate,
            "num_boost_round": self.num_boost_round,
            "early_stopping_rounds": self.early_stopping_rounds,
            "min_child_weight": self.min_child_weight,
            "subsample": self.subsample,
            "colsample_bytree": self.colsample_bytree,
            "reg_lambda": self.reg_lambda,
            "max_delta_step": self.max_delta_step,
            "seed": self.seed,
            "features": self.features,
            **self.extra,
        }


def learned_features(
    names: Sequence[str], monotone: Sequence[int], which: FeatureSet = "directional"
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The features the booster learns from, and their monotone directions.

    "directional" keeps the features whose risk direction the registry states (more disputes,
    failed charges, past-due requirements or forensic document traces are riskier on any
    platform); the booster learns how much each weighs, never which way it points. Features
    without a direction (volume, ticket size, legal form, account type, region) relate to risk
    in a way that belongs to one platform's population: learnt from the synthetic marketplace,
    "busier is safer" ranked another platform's bust-out bursts as its safest accounts. They
    stay in the feature vector for review and policy, not in the booster. "all" keeps every
    feature, for a platform that trains on its own outcomes.
    """
    if len(names) != len(monotone):
        raise ValueError("names and monotone differ in length")
    if which == "all":
        return tuple(names), tuple(int(m) for m in monotone)
    kept = [(n, int(m)) for n, m in zip(names, monotone, strict=True) if m != 0]
    return tuple(n for n, _ in kept), tuple(m for _, m in kept)


def positive_weight(target: np.ndarray) -> float:
    """`scale_pos_weight`: negatives per positive, so both classes weigh the same in the loss."""
    positives = int(np.sum(target))
    if positives == 0:
        raise ValueError("no positive examples to weight")
    return (len(target) - positives) / positives


def booster_params(
    config: TrainConfig,
    train_target: np.ndarray,
    monotone: Sequence[int],
    *,
    device: str = "cpu",
) -> dict[str, object]:
    """XGBoost's parameter dict for `config`: the same for every engine, so an engine changes
    only where the trees are grown, never what is learnt. Class weighting comes from
    `train_target`; `device` is XGBoost's ("cpu" or "cuda")."""
    return {
        "objective": "binary:logistic",
        "eval_metric": "logloss",
        "tree_method": "hist",
        "device": device,
        "max_depth": config.max_depth,
        "eta": config.learning_rate,
        "min_child_weight": config.min_child_weight,
        "subsample": config.subsample,
        "colsample_bytree": config.colsample_bytree,
        "lambda": config.reg_lambda,
        "max_delta_step": config.max_delta_step,
        "scale_pos_weight": positive_weight(train_target),
        "monotone_constraints": "(" + ",".join(str(int(m)) for m in monotone) + ")",
        "seed": config.seed,
        "nthread": config.nthread,
        **config.extra,
    }


def best_rounds(booster: xgb.Booster) -> xgb.Booster:
    """The booster truncated to its best iteration (early stopping keeps training past it)."""
    return booster[: int(booster.best_iteration) + 1]


def fit_booster(
    train: tuple[np.ndarray, np.ndarray],
    valid: tuple[np.ndarray, np.ndarray],
    *,
    feature_names: Sequence[str],
    monotone: Sequence[int],
    config: TrainConfig = TrainConfig(),
    device: str = "cpu",
) -> xgb.Booster:
    """Train a binary booster on float32 matrices, stopping early on `valid`'s log loss.

    Args:
        train: (matrix, target) to fit on; columns in `feature_names` order.
        valid: (matrix, target) watched for early stopping.
        feature_names: the registry's feature names, in matrix column order.
        monotone: the registry's monotone directions in the same order.
        config: hyper-parameters.
        device: XGBoost's device, "cpu" or "cuda".

    Returns:
        The booster, truncated to its best iteration.
    """
    if len(feature_names) != len(monotone):
        raise ValueError("feature_names and monotone differ in length")
    names = list(feature_names)
    dtrain = xgb.DMatrix(train[0].astype(np.float32), label=train[1], feature_names=names)
    dvalid = xgb.DMatrix(valid[0].astype(np.float32), label=valid[1], feature_names=names)
    booster = xgb.train(
        booster_params(config, train[1], monotone, device=device),
        dtrain,
        num_boost_round=config.num_boost_round,
        evals=[(dvalid, "valid")],
        early_stopping_rounds=config.early_stopping_rounds,
        verbose_eval=False,
    )
    return best_rounds(booster)
