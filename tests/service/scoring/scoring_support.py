"""Helpers for the scoring tests: a tiny trained champion, API keys, Stripe-like accounts."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mlflow
import numpy as np
import pandas as pd
import pytest
import xgboost as xgb
from svc_support import TEST_PEPPER

from features import compute_batch
from features.documents import DocumentEvidence
from service.auth.keys import issue_key
from service.db.database import Database
from service.scoring.network import load_network
from training import registry, tracking
from training.pipeline import TrainOptions, run_training
from training.scoring import score_frame
from training.steps.calibrate import Calibrator
from training.steps.model import RiskModel
from training.steps.train import TrainConfig
from training.synth.config import GeneratorConfig
from training.synth.dataset import generate

TINY = TrainOptions(
    booster=TrainConfig(num_boost_round=30, early_stopping_rounds=10),
    workers=1,
)
SCOPES = ["scores:write", "decisions:read"]


@dataclass(frozen=True)
class ModelStore:
    """A throwaway MLflow store, the dataset its champion was trained on, and its version."""

    uri: str
    data_dir: Path
    version: str


def train_champion(data_dir: Path) -> str:
    """Generate a small dataset, train on it into the MLFLOW_TRACKING_URI store and crown it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    generate(GeneratorConfig(accounts=400, seed=3, render_documents=False), data_dir, workers=1)
    version = run_training(data_dir, "provider-risk", TINY).version
    registry.crown(version)
    return version


def tiny_risk_model(seed: int = 0) -> RiskModel:
    """A three-tree RiskModel on four made-up features: for tests that need a model object,
    not a trained champion."""
    rng = np.random.default_rng(seed)
    matrix = rng.normal(size=(60, 4)).astype(np.float32)
    target = (matrix[:, 0] > 0).astype(np.float32)
    names = ("f0", "f1", "f2", "f3")
    booster = xgb.train(
        {"max_depth": 2, "objective": "binary:logistic", "nthread": 1},
        xgb.DMatrix(matrix, label=target, feature_names=list(names)),
        num_boost_round=3,
    )
    return RiskModel(booster, Calibrator("sigmoid"), names, "test", 30)


def register_copy_of(version: str, store_uri: str) -> str:
    """Log the model of `version` again as a new registered version (a challenger)."""
    tracking.use_store(store_uri)
    model = tracking.load_risk_model(f"models:/{registry.MODEL_NAME}/{version}")
    example = pd.DataFrame(
        np.zeros((2, len(model.feature_names))), columns=list(model.feature_names)
    )
    experiment_id = tracking.ensure_experiment("provider-risk", store_uri)
    with tracking.quiet_mlflow(), mlflow.start_run(experiment_id=experiment_id) as run:
        info = tracking.log_risk_model(model, example)
    return registry.register_challenger(info.model_uri, run.info.run_id)


def issue_token(database: Database, scopes: list[str]) -> dict[str, str]:
    """Authorization headers of a new key with `scopes`, hashed with the test pepper."""
    with database.session() as session, session.begin():
        issued = issue_key(
            session=session, name="scoring test", scopes=scopes, pepper=TEST_PEPPER.encode()
        )
    return {"Authorization": f"Bearer {issued.token}"}


def stripe_account(created: int = 1_760_000_000, **overrides: Any) -> dict[str, Any]:
    """A fresh Custom-style Stripe Account object the platform controls."""
    account: dict[str, Any] = {
        "id": f"acct_{secrets.token_hex(8)}",
        "object": "account",
        "country": "US",
        "business_type": "company",
        "created": created,
        "type": "custom",
        "business_profile": {"mcc": "5734", "url": "https://example.com"},
        "capabilities": {"card_payments": "active", "transfers": "active"},
        "controller": {"is_controller": True, "losses": {"payments": "application"}},
        "settings": {"payouts": {"schedule": {"interval": "daily", "delay_days": 2}}},
        "metadata": {},
        "requirements": {"currently_due": [], "disabled_reason": None},
        "charges_enabled": True,
        "payouts_enabled": True,
    }
    account.update(overrides)
    return account


def batch_score(
    database: Database,
    model: RiskModel,
    account: Mapping[str, Any],
    evidence: Sequence[DocumentEvidence],
    transactions: pd.DataFrame,
    as_of: int,
) -> tuple[pd.Series, float]:
    """What the batch job computes for one account at `as_of`, with the service's network: its
    feature values (by name) and its calibrated score."""
    with database.session() as session:
        network = load_network(session)
    account_id = str(account["id"])
    features = compute_batch(
        {account_id: account},
        {account_id: tuple(evidence)},
        transactions,
        pd.DataFrame({"account": [account_id], "as_of": [as_of]}),
        network=network,
    )
    scored = score_frame(features, ["-"], model, "batch")
    return features.iloc[0].drop(["account", "as_of"]), float(scored["score"].iloc[0])


def assert_same_features(stored: Mapping[str, float | None], expected: pd.Series) -> None:
    """A decision's recorded features equal the batch job's (null where the batch has NaN)."""
    for name, value in stored.items():
        if value is None:
            assert np.isnan(expected[name]), name
        else:
            assert value == pytest.approx(float(expected[name])), name
