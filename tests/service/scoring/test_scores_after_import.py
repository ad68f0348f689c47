"""An account loaded with `connect-risk import` scores by id as the batch job scores it."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest
from svc_support import LiveServer

from features import compute_batch
from service.cli import main
from service.db.database import Database
from service.scoring.network import load_network
from training.dataset import load_dataset
from training.featurize.job import parse_dataset_documents
from training.scoring import score_frame
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
    monkeypatch.setenv("CONNECT_RISK_API_KEY_PEPPER", "import-tests-pepper-0123456789abcdef")
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

    evidence = parse_dataset_documents(dataset).by_account
    with scoring_database.session() as session:
        network = load_network(session)
    features = compute_batch(
        {account_id: dataset.accounts[account_id]},
        {account_id: evidence[account_id]},
        dataset.transactions,
        pd.DataFrame({"account": [account_id], "as_of": [as_of]}),
        network=network,
    )
    batch = score_frame(features, ["-"], champion_model, online.json()["model_version"])
    assert online.json()["score"] == pytest.approx(float(batch["score"].iloc[0]), rel=1e-6)

    decision = client.get(f"/v1/decisions/{online.json()['decision_id']}", headers=headers).json()
    assert decision["features"]["doc_count"] == len(evidence[account_id]) > 0
    assert (decision["features"]["charge_count_all"] or 0) > 0  # its transactions were read
    expected = features.iloc[0].drop(["account", "as_of"])
    for name, value in decision["features"].items():
        if value is None:
            assert np.isnan(expected[name]), name
        else:
            assert value == pytest.approx(float(expected[name])), name
