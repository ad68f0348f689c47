"""The training pipeline on a small generated dataset, with a throwaway MLflow store."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from features import FEATURE_NAMES, monotone_constraints
from training import registry, tracking
from training.dataset import DatasetError, load_dataset
from training.pipeline import (
    HOLDOUT_ARTIFACT,
    TrainOptions,
    build_examples,
    dataset_digest,
    fit_and_evaluate,
    run_training,
)
from training.steps.split import SplitConfig
from training.steps.train import TrainConfig
from training.synth.config import GeneratorConfig
from training.synth.dataset import generate

FAST = TrainOptions(booster=TrainConfig(num_boost_round=80, early_stopping_rounds=20), workers=1)


@pytest.fixture(scope="module")
def dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pipeline-data")
    generate(GeneratorConfig(accounts=600, seed=3, render_documents=False), out, workers=2)
    return out


@pytest.fixture(scope="module")
def examples(dataset_dir: Path) -> pd.DataFrame:
    return build_examples(load_dataset(dataset_dir), FAST).frame


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    return uri


def test_examples_follow_snapshots_csv_and_keep_accounts_in_one_split(dataset_dir, examples):
    given = pd.read_csv(dataset_dir / "snapshots.csv")
    assert set(zip(examples["account"], examples["as_of"], strict=True)) <= set(
        zip(given["account"], given["as_of"], strict=True)
    )
    assert (examples.groupby("account")["split"].nunique() == 1).all()
    assert {"country", "business_type", "phase", "target"} <= set(examples.columns)


def test_no_train_or_calibration_outcome_resolves_in_the_test_period(dataset_dir):
    built = build_examples(load_dataset(dataset_dir), FAST)
    assert built.test_start is not None
    frame = built.frame
    before = frame[frame["split"] != "test"]
    assert (before["as_of"] + FAST.horizon_days * 86_400 <= built.test_start).all()
    assert (frame.loc[frame["split"] == "test", "as_of"] >= built.test_start).all()


def test_unsplit_examples_keep_every_labelled_snapshot(dataset_dir, examples):
    whole = build_examples(load_dataset(dataset_dir), FAST, split=False).frame
    assert set(whole["split"]) == {"holdout"}
    # The split drops train- and test-group snapshots outside their periods; unsplit keeps all.
    assert len(whole) > len(examples)
    keys = set(zip(whole["account"], whole["as_of"], strict=True))
    assert set(zip(examples["account"], examples["as_of"], strict=True)) <= keys
    assert whole["target"].sum() >= examples["target"].sum()


def test_without_snapshots_csv_each_account_gets_default_snapshots(dataset_dir, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(dataset_dir, copy)
    (copy / "snapshots.csv").unlink()
    frame = build_examples(load_dataset(copy), FAST).frame
    created = {a: obj["created"] for a, obj in load_dataset(copy).accounts.items()}
    first = frame[frame["onboarding"]]
    assert ((first["as_of"] - first["account"].map(created)) == 86_400).all()


def test_fit_and_evaluate_scores_the_test_split_with_both_scorers(examples):
    trained = fit_and_evaluate(examples, FAST)
    assert set(trained.table["scorer"]) == {"model", "rules"}
    assert trained.sizes["test"] == len(trained.test)
    assert trained.test["score"].between(0, 1).all()
    # The calibrated mean score tracks the observed rate of the calibration split, loosely.
    assert trained.test["score"].mean() < 5 * max(examples["target"].mean(), 0.01)
    assert list(trained.importance.index[:1])[0] in trained.model.feature_names


def test_the_booster_learns_only_from_features_with_a_risk_direction(examples):
    directions = dict(zip(FEATURE_NAMES, monotone_constraints(), strict=True))
    directional = fit_and_evaluate(examples, FAST).model
    assert directional.feature_names
    assert all(directions[name] != 0 for name in directional.feature_names)
    assert len(directional.feature_names) == sum(m != 0 for m in directions.values())
    # The scoring paths select the model's own columns from a full feature table.
    assert len(directional.predict(directional.matrix(examples))) == len(examples)
    every = replace(FAST, booster=replace(FAST.booster, features="all"))
    assert fit_and_evaluate(examples, every).model.feature_names == FEATURE_NAMES


def test_dataset_digest_changes_with_any_file(dataset_dir, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(dataset_dir, copy)
    before = dataset_digest(copy)
    assert before == dataset_digest(dataset_dir)
    with (copy / "labels.csv").open("a") as handle:
        handle.write("\n")
    assert dataset_digest(copy) != before


def test_run_training_logs_everything_and_aliases_challenger(dataset_dir, store):
    report = run_training(dataset_dir, "test", FAST)
    client = MlflowClient(store, store)
    version = client.get_model_version_by_alias(registry.MODEL_NAME, registry.CHALLENGER)
    assert str(version.version) == report.version
    run = client.get_run(report.run_id)
    assert (
        run.data.params["registry_version"]
        == tracking.load_risk_model(
            f"models:/{registry.MODEL_NAME}/{report.version}"
        ).registry_version
    )
    assert run.data.metrics["test_roc_auc"] == pytest.approx(report.metrics["roc_auc"])
    params = run.data.params
    digest = dataset_digest(dataset_dir)
    assert params["data"] == str(dataset_dir.resolve()) and params["dataset_sha256"] == digest
    [given] = run.inputs.dataset_inputs
    assert (given.dataset.digest, given.dataset.source_type) == (digest[:16], "local")
    assert json.loads(given.dataset.source)["uri"] == str(dataset_dir.resolve())
    assert run.info.run_name == "train"
    assert run.data.tags["registered_version"] == report.version
    assert version.tags == {"run_id": report.run_id, "dataset_sha256": digest}
    assert version.description == (
        f"trained on {dataset_dir.resolve()} (sha256 {digest[:16]}), "
        f"test period from {params['test_start']}"
    )
    test_start = params["test_start"]
    assert params["as_of_test"].split("..")[0] >= test_start > params["as_of_train"].split("..")[1]
    assert "rules_test_recall_at_5fpr" in run.data.metrics
    files = {a.path for a in client.list_artifacts(report.run_id, "plots")}
    assert {f"plots/{n}.png" for n in ("roc", "pr", "calibration", "importance")} <= files
    names = {a.path for a in client.list_artifacts(report.run_id)}
    assert {"model_card.md", "evaluation", "holdout"} <= names
    holdout = pd.read_parquet(
        mlflow.artifacts.download_artifacts(run_id=report.run_id, artifact_path=HOLDOUT_ARTIFACT)
    )
    pyfunc = mlflow.pyfunc.load_model(f"models:/{registry.MODEL_NAME}@{registry.CHALLENGER}")
    out = pyfunc.predict(holdout.loc[:4, list(pyfunc.metadata.get_input_schema().input_names())])
    model = tracking.load_risk_model(f"models:/{registry.MODEL_NAME}@{registry.CHALLENGER}")
    assert np.allclose(out["score"], model.predict(model.matrix(holdout.loc[:4])))


def test_a_failing_run_leaves_the_registry_untouched(dataset_dir, store, monkeypatch):
    def broken(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(tracking, "log_risk_model", broken)
    with pytest.raises(OSError):
        run_training(dataset_dir, "test", FAST)
    client = MlflowClient(store, store)
    assert client.search_registered_models() == []
    runs = client.search_runs([client.get_experiment_by_name("test").experiment_id])
    assert [r.info.status for r in runs] == ["FAILED"]


def test_labels_without_positives_fail_before_anything_is_logged(dataset_dir, tmp_path, store):
    copy = tmp_path / "data"
    shutil.copytree(dataset_dir, copy)
    labels = pd.read_csv(copy / "labels.csv", keep_default_na=False)
    labels.assign(label=0).to_csv(copy / "labels.csv", index=False)
    with pytest.raises(DatasetError, match="no positive labels"):
        run_training(copy, "test", FAST)
    assert MlflowClient(store, store).search_experiments(filter_string="name = 'test'") == []


def test_a_split_without_enough_positives_is_reported(examples):
    strict = TrainOptions(split=SplitConfig(min_positives=10_000))
    from training.steps.split import time_split

    with pytest.raises(DatasetError, match="too few positive"):
        time_split(examples.drop(columns=["split"]), strict.split, horizon_days=90)
