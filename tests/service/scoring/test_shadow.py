"""The challenger in shadow: with `shadow_challenger` on, every decision records the
challenger's score of the same features beside the champion's, and acts on the champion's."""

from __future__ import annotations

import httpx
import pytest
from mlflow import MlflowClient
from scoring_support import ModelStore, issue_token, register_copy_of, stripe_account
from svc_support import LiveServer, make_settings

from service.app import create_app
from service.db.database import Database
from training.registry import CHALLENGER, CHAMPION, MODEL_NAME


def test_the_challenger_is_scored_beside_each_decision(
    shared_database_url: str, scoring_database: Database, model_store: ModelStore
) -> None:
    challenger = register_copy_of(model_store.version, model_store.uri)
    client = MlflowClient(model_store.uri, model_store.uri)
    assert client.get_model_version_by_alias(MODEL_NAME, CHALLENGER).version == int(challenger)
    champion = client.get_model_version_by_alias(MODEL_NAME, CHAMPION).version
    settings = make_settings(
        shared_database_url, mlflow_tracking_uri=model_store.uri, shadow_challenger=True
    )
    headers = issue_token(scoring_database, ["scores:write", "decisions:read"])
    with LiveServer(create_app(settings)) as server, httpx.Client(base_url=server.url) as http:
        body = http.post("/v1/scores", json={"account": stripe_account()}, headers=headers)
        assert body.status_code == 201, body.text
        scored = body.json()
        decision = http.get(f"/v1/decisions/{scored['decision_id']}", headers=headers).json()

    assert "shadow_score" not in scored  # the caller sees only what is acted on
    assert decision["model_version"] == f"{MODEL_NAME}/{champion}"
    assert decision["shadow_model_version"] == f"{MODEL_NAME}/{challenger}"
    # A copy of the champion's booster: the same features must give the same score.
    assert decision["shadow_score"] == pytest.approx(decision["score"], abs=1e-6)
