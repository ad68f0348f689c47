"""A model trained on the synthetic marketplace, evaluated through `connect-risk evaluate` on a
dataset written by tests/training/foreign, which shares no code with the generator.

Sizes: 3,000 generated providers (no PDFs) to train, 800 foreign providers to evaluate. Measured
with the seeds below the model's ROC-AUC on the foreign data is 0.61 (rules 0.68); over 3 x 3
other seed pairs it ranged 0.54-0.74 (median 0.62) while the rules' ranged 0.53-0.68. So the
test asserts "clearly better than chance" with a margin of about one and a half standard errors
(about 120 positives), and does not assert a win over the rules at this size: without documents
in training it is not reliable (with documents and 4,000 providers it is: docs/training.md).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from foreign import ForeignConfig, make_dataset
from mlflow import MlflowClient
from mlflow.entities import Run

from service.cli import main
from training import tracking
from training.evaluation import evaluate_model
from training.pipeline import TrainOptions, TrainReport, run_training
from training.scoring import ScoringError
from training.synth.config import GeneratorConfig
from training.synth.dataset import generate

MIN_FOREIGN_AUC = 0.55


@dataclass(frozen=True)
class Outcome:
    """One `connect-risk` invocation: exit code, stdout and stderr."""

    code: int
    out: str
    err: str


def _run(argv: list[str]) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return Outcome(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module", autouse=True)
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    uri = f"sqlite:///{tmp_path_factory.mktemp('store') / 'mlflow.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_TRACKING_URI", uri)
        yield uri


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> TrainReport:
    data = tmp_path_factory.mktemp("generated")
    generate(GeneratorConfig(accounts=3000, seed=3, render_documents=False), data, workers=1)
    return run_training(data, "generalisation", TrainOptions(workers=1))


@pytest.fixture(scope="module")
def foreign_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("foreign")
    make_dataset(out, ForeignConfig(accounts=800, seed=0, documents=False))
    return out


@pytest.fixture(scope="module")
def evaluated(trained: TrainReport, foreign_dir: Path) -> tuple[Outcome, Run]:
    uri = f"models:/provider-risk/{trained.version}"
    outcome = _run(
        ["evaluate", "--data", str(foreign_dir), "--model-uri", uri, "--experiment", "foreign"]
    )
    client = MlflowClient()
    experiment = client.get_experiment_by_name("foreign")
    assert experiment is not None, outcome.err
    (run,) = client.search_runs([experiment.experiment_id])
    return outcome, run


def test_evaluate_prints_model_and_rules_and_logs_one_run(evaluated, trained):
    outcome, run = evaluated
    assert outcome.code == 0, outcome.err
    assert f"evaluated provider-risk/{trained.version}" in outcome.out
    roc_line = next(line for line in outcome.out.splitlines() if line.strip().startswith("roc_auc"))
    assert f"{run.data.metrics['roc_auc']:.4f}" in roc_line
    assert f"{run.data.metrics['rules_roc_auc']:.4f}" in roc_line
    assert "phase=onboarding" in outcome.out
    assert run.data.tags["model_version"] == f"provider-risk/{trained.version}"
    assert run.data.params["registry_version"]
    artifacts = {a.path for a in MlflowClient().list_artifacts(run.info.run_id, "evaluation")}
    assert {"evaluation/segments.csv", "evaluation/summary.txt"} <= artifacts


def test_the_model_ranks_foreign_providers_clearly_better_than_chance(evaluated):
    _, run = evaluated
    metrics = run.data.metrics
    assert metrics["positives"] >= 60  # enough for the margin below to mean something
    assert metrics["roc_auc"] >= MIN_FOREIGN_AUC
    assert metrics["roc_auc_p05"] <= metrics["roc_auc"] <= metrics["roc_auc_p95"]
    assert metrics["rules_recall_at_5fpr_p05"] <= metrics["rules_recall_at_5fpr"]
    assert 0 <= metrics["ece"] < 0.1


def test_evaluate_without_labels_names_the_file(trained, foreign_dir, tmp_path):
    data = tmp_path / "unlabelled"
    shutil.copytree(foreign_dir, data)
    (data / "labels.csv").unlink()
    uri = f"models:/provider-risk/{trained.version}"
    outcome = _run(["evaluate", "--data", str(data), "--model-uri", uri, "--experiment", "bad"])
    assert outcome.code == 1
    assert "labels.csv" in outcome.err
    assert MlflowClient().get_experiment_by_name("bad") is None  # nothing logged


def test_evaluate_names_file_row_and_column_of_a_bad_value(trained, foreign_dir, tmp_path):
    data = tmp_path / "broken"
    shutil.copytree(foreign_dir, data)
    lines = (data / "transactions.csv").read_text().splitlines()
    cells = lines[3].split(",")
    cells[4] = "lots"  # amount
    lines[3] = ",".join(cells)
    (data / "transactions.csv").write_text("\n".join(lines) + "\n")
    uri = f"models:/provider-risk/{trained.version}"
    outcome = _run(["evaluate", "--data", str(data), "--model-uri", uri])
    assert outcome.code == 1
    assert "transactions.csv" in outcome.err and "row 3" in outcome.err
    assert "'amount'" in outcome.err


def test_evaluate_refuses_a_model_it_cannot_load(foreign_dir):
    outcome = _run(["evaluate", "--data", str(foreign_dir), "--model-uri", "models:/nope/9"])
    assert outcome.code == 2
    assert "cannot load" in outcome.err


def test_evaluate_refuses_a_model_of_another_feature_registry(trained, foreign_dir):
    model = tracking.load_risk_model(f"models:/provider-risk/{trained.version}")
    stale = replace(model, registry_version="000000000000")
    with pytest.raises(ScoringError, match="feature registry 000000000000"):
        evaluate_model(foreign_dir, stale, TrainOptions(workers=1))
