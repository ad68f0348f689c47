"""An account loaded with `connect-risk import` scores by id as the batch job scores it."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import httpx
import pytest
from scoring_support import assert_same_features, batch_score
from svc_support import TEST_PEPPER, LiveServer

from service.cli import main
from service.db.database import Database
from training.dataset import load_dataset
from training.featurize.job import parse_dataset_documents
from training.steps.model import RiskModel
from training.synth.config import GeneratorConfig
from training.synth.dataset import generate


def test_an_imported_account_with_documents_scores_like_the_batch_job(
    client: httpx.Client,
    headers: dict[str, str],
    scoring_server: LiveServer,
    scoring_database: Database,
    shared_database_url: str,
    champion_model: RiskModel,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    generate(GeneratorConfig(accounts=6, seed=29, days=120), data, workers=1)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONNECT_RISK_API_KEY_PEPPER", TEST_PEPPER)
    argv = ["import", "--data", str(data), "--database-url", shared_database_url, "--quiet"]
    assert main(argv) == 0

    dataset = load_dataset(data)
    # The account with the most documents (then the most transactions): both sources matter.
    counts = dataset.transactions["account"].value_counts()
    account_id = max(
        dataset.documents, key=lambda a: (len(dataset.documents[a]), counts.get(a, 0), a)
    )
    # Documents count from when the service received them: score after the import.
    as_of = int(time.time()) + 2
    scoring_server.server.config.app.state.network.refresh()
    moment = dt.datetime.fromtimestamp(as_of, tz=dt.UTC).isoformat()
    online = client.post(
        "/v1/scores", json={"account_id": account_id, "as_of": moment}, headers=headers
    )
    assert online.status_code == 201, online.text

    evidence = parse_dataset_documents(dataset).by_account[account_id]
    expected, score = batch_score(
        scoring_database,
        champion_model,
        dataset.accounts[account_id],
        evidence,
        dataset.transactions,
        as_of,
    )
    assert online.json()["score"] == pytest.approx(score, rel=1e-6)

    decision = client.get(f"/v1/decisions/{online.json()['decision_id']}", headers=headers).json()
    assert decision["features"]["doc_count"] == len(evidence) > 0
    assert (decision["features"]["charge_count_all"] or 0) > 0  # its transactions were read
    assert_same_features(decision["features"], expected)
