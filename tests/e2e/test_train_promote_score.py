"""generate -> train -> promote -> score through the `connect-risk` command, on a throwaway
MLflow store under the working directory's var/ (the embedded default)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from service.cli import main
from training import tracking
from training.registry import CHALLENGER, CHAMPION, MODEL_NAME, register_challenger
from training.scoring import BAND_NAMES, SCORE_COLUMNS


def _alias(client: MlflowClient, alias: str) -> str | None:
    try:
        return str(client.get_model_version_by_alias(MODEL_NAME, alias).version)
    except MlflowException:
        return None


def test_generate_train_promote_score(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, caplog
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    data, cache = tmp_path / "data", tmp_path / "cache"
    assert main(["generate", "--out", str(data), "--accounts", "600", "--seed", "3"]) == 0
    train = ["train", "--data", str(data), "--cache", str(cache), "--workers", "2"]
    assert main(train) == 0
    store = f"sqlite:///{tmp_path / 'var' / 'mlflow.db'}"
    assert (tmp_path / "var" / "mlflow.db").is_file()
    client = MlflowClient(store, store)
    assert _alias(client, CHALLENGER) == "1" and _alias(client, CHAMPION) is None

    # A dry run says what would happen and changes nothing.
    capsys.readouterr()
    assert main(["promote", "--margin", "-1.0", "--dry-run"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("would promote: challenger v1 vs the rules baseline")
    assert "  challenger recall_at_5fpr" in said and "  rules " in said
    assert "dry run: nothing logged, no alias moved" in said
    assert _alias(client, CHAMPION) is None

    # A first model must beat the rules baseline by the margin: an impossible margin keeps it out.
    assert main(["promote", "--margin", "1.0"]) == 0
    assert capsys.readouterr().out.startswith("kept")
    assert _alias(client, CHAMPION) is None
    assert main(["promote", "--margin", "-1.0"]) == 0
    assert capsys.readouterr().out.startswith("promoted")
    assert _alias(client, CHAMPION) == "1"

    # A second challenger faces the champion on the test split of --data.
    assert main(train) == 0
    assert _alias(client, CHALLENGER) == "2"
    capsys.readouterr()
    assert main(["promote", "--data", str(data), "--cache", str(cache), "--margin", "1.0"]) == 0
    assert capsys.readouterr().out.startswith("kept")
    assert _alias(client, CHAMPION) == "1"
    # The 600-account holdout has too few positives to tell two models apart: the champion
    # stays, whatever the margin allows.
    promote = ["promote", "--margin", "-1.0", "--ece-tolerance", "1.0"]
    assert main(promote) == 0
    assert "needed to separate two models" in capsys.readouterr().out
    assert _alias(client, CHAMPION) == "1"
    assert main([*promote, "--min-positives", "1"]) == 0
    assert _alias(client, CHAMPION) == "2"
    runs = client.search_runs(
        [client.get_experiment_by_name("provider-risk").experiment_id],
        filter_string="tags.decision = 'keep'",
    )
    assert len(runs) == 3

    out = tmp_path / "scores.csv"
    score = ["score", "--data", str(data), "--out", str(out), "--cache", str(cache)]
    assert main(score) == 0
    scores = pd.read_csv(out, keep_default_na=False)
    assert tuple(scores.columns) == SCORE_COLUMNS
    snapshots = pd.read_csv(data / "snapshots.csv")
    assert scores[["account", "as_of"]].equals(snapshots[["account", "as_of"]])
    assert scores["score"].between(0, 1).all()
    assert set(scores["band"]) <= set(BAND_NAMES)
    assert (scores["model_version"] == f"{MODEL_NAME}/2").all()
    assert scores["segment"].str.fullmatch(r"[A-Z]{2}:[a-z_]+").all()

    # A challenger built on another feature registry never becomes champion: the service
    # could not load it.
    tracking.use_store(store)
    champion = tracking.load_risk_model(f"models:/{MODEL_NAME}@{CHAMPION}")
    foreign = dataclasses.replace(champion, registry_version="deadbeef0000")
    example = pd.DataFrame(0.0, index=range(5), columns=list(foreign.feature_names))
    with mlflow.start_run() as run:
        logged = tracking.log_risk_model(foreign, example)
    assert register_challenger(logged.model_uri, run.info.run_id) == "3"
    capsys.readouterr()
    assert main([*promote, "--min-positives", "1"]) == 1
    assert "trained on feature registry deadbeef0000" in capsys.readouterr().err
    assert _alias(client, CHAMPION) == "2"

    # A challenger of another horizon is judged on its own horizon's targets, and says so.
    assert main([*train, "--horizon-days", "60"]) == 0
    gate = ["promote", "--data", str(data), "--cache", str(cache), "--margin", "1.0"]
    assert main(gate) == 0
    [latest] = client.search_runs(
        [client.get_experiment_by_name("provider-risk").experiment_id],
        filter_string="params.challenger_version = '4'",
    )
    horizons = (
        latest.data.params["challenger_horizon_days"],
        latest.data.params["champion_horizon_days"],
    )
    assert horizons == ("60", "90")
    with caplog.at_level("WARNING", logger="training.promotion"):
        assert main([*gate, "--whole"]) == 0
    assert "is the dataset challenger v4 was trained on: --whole judges it in-sample" in caplog.text

    # Each kind of run can be told apart in the MLflow UI.
    experiment_id = client.get_experiment_by_name("provider-risk").experiment_id
    kinds = [run.data.tags.get("run_kind") for run in client.search_runs([experiment_id])]
    assert (kinds.count("train"), kinds.count("promotion")) == (3, 7)


def test_score_with_an_unknown_model_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    data = tmp_path / "data"
    assert main(["generate", "--out", str(data), "--accounts", "5", "--seed", "1"]) == 0
    code = main(["score", "--data", str(data), "--out", str(tmp_path / "s.csv")])
    assert code == 2
    assert "--model-uri" in capsys.readouterr().err


def test_promote_without_a_challenger_explains_itself(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert main(["promote"]) == 1
    assert "run `train` first" in capsys.readouterr().err
