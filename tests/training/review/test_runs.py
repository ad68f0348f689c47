"""Reading a training run back from a real MLflow store in a temporary directory."""

from __future__ import annotations

import tempfile
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from review_support import feature_frame

from training import registry, tracking
from training.pipeline import HOLDOUT_ARTIFACT
from training.review import runs
from training.steps import plots


@pytest.fixture
def store(tmp_path: Path, tiny_model) -> str:
    """A store with one run logged the way `train` logs it, registered as challenger."""
    uri = runs.use_store(f"sqlite:///{tmp_path / 'mlflow.db'}")
    experiment = tracking.ensure_experiment("review", uri)
    holdout = feature_frame(50, 4)
    with tracking.quiet_mlflow(), mlflow.start_run(experiment_id=experiment) as run:
        mlflow.log_metrics({"test_roc_auc": 0.8, "rules_test_roc_auc": 0.6})
        mlflow.log_params({"data": "somewhere"})
        target = holdout["target"].to_numpy()
        mlflow.log_figure(plots.distribution_figure(target, target * 0.5), "plots/dist.png")
        mlflow.log_text("# card\n", runs.CARD_ARTIFACT)
        mlflow.log_text("scorer,segment,value,roc_auc\nmodel,all,all,0.8\n", runs.SEGMENTS_ARTIFACT)
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "test.parquet"
            holdout.to_parquet(path)
            mlflow.log_artifact(str(path), "holdout")
        info = tracking.log_risk_model(tiny_model, holdout)
    registry.register_challenger(info.model_uri, run.info.run_id)
    return run.info.run_id


def test_resolve_falls_back_to_the_challenger_then_takes_aliases_and_ids(store) -> None:
    found = runs.resolve_run()
    assert (found.run_id, found.source, found.version) == (store, "challenger", "1")
    assert runs.resolve_run("challenger").run_id == store
    assert runs.resolve_run(store) == runs.RunRef(store, "run id", None)
    with pytest.raises(runs.RunNotFound, match="champion"):
        runs.resolve_run("champion")
    with pytest.raises(runs.RunNotFound, match="no run"):
        runs.resolve_run("0123456789abcdef")


def test_metrics_plots_card_segments_holdout_and_model(store, tiny_model) -> None:
    assert runs.run_metrics(store) == {"test_roc_auc": 0.8, "rules_test_roc_auc": 0.6}
    assert runs.run_params(store)["data"] == "somewhere"
    images = runs.plot_images(store)
    assert list(images) == ["dist.png"] and images["dist.png"].startswith(b"\x89PNG")
    assert runs.artifact_text(store, runs.CARD_ARTIFACT) == "# card\n"
    assert runs.segments(store).loc[0, "roc_auc"] == 0.8
    holdout = runs.holdout(store)
    assert len(holdout) == 50 and HOLDOUT_ARTIFACT.endswith(".parquet")
    model = runs.run_model(store)
    matrix = model.matrix(holdout)
    assert (model.predict(matrix) == tiny_model.predict(matrix)).all()
    assert isinstance(holdout, pd.DataFrame)
