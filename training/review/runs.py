"""Read a training run back from MLflow: which run (an alias of `provider-risk` or a run id),
its metrics, PNG plots, model card, segment table, test holdout and model."""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import mlflow
import pandas as pd
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from training import tracking
from training.pipeline import HOLDOUT_ARTIFACT
from training.registry import CHALLENGER, CHAMPION, MODEL_NAME
from training.steps.model import RiskModel

PLOTS_DIR = "plots"
CARD_ARTIFACT = "model_card.md"
SEGMENTS_ARTIFACT = "evaluation/segments.csv"


class RunNotFound(LookupError):
    """No run matches the reference (no such alias or run id in the store)."""


@dataclass(frozen=True)
class RunRef:
    """A resolved training run: its id, how it was found, and the registered version if any."""

    run_id: str
    source: str  # "champion", "challenger" or "run id"
    version: str | None


def resolve_run(reference: str | None = None, *, name: str = MODEL_NAME) -> RunRef:
    """The run behind `reference`: "champion", "challenger", or a run id. None means the
    champion's run, else the challenger's (a store where nothing was promoted yet).

    Raises:
        RunNotFound: the alias is unset, or no run has that id.
    """
    client = MlflowClient()
    aliases = (CHAMPION, CHALLENGER) if reference is None else (reference,)
    if reference is None or reference in (CHAMPION, CHALLENGER):
        for alias in aliases:
            try:
                found = client.get_model_version_by_alias(name, alias)
            except MlflowException:
                continue
            if found.run_id:
                return RunRef(found.run_id, alias, str(found.version))
        raise RunNotFound(f"no {name} version carries alias {' or '.join(aliases)}")
    try:
        run = client.get_run(reference)
    except MlflowException:
        raise RunNotFound(f"no run with id {reference!r}") from None
    return RunRef(run.info.run_id, "run id", None)


def use_store(uri: str | None = None) -> str:
    """Point MLflow at `uri` (default: MLFLOW_TRACKING_URI, else var/mlflow.db) and return it;
    artifact progress bars are turned off unless MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR says."""
    chosen = uri or tracking.tracking_uri()
    # MLflow draws a progress bar per artifact download; in a notebook that is only noise.
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    tracking.use_store(chosen)
    return chosen


def run_metrics(run_id: str) -> dict[str, float]:
    """Every metric logged by the run (latest value of each)."""
    return dict(MlflowClient().get_run(run_id).data.metrics)


def run_params(run_id: str) -> dict[str, str]:
    """Every parameter logged by the run."""
    return dict(MlflowClient().get_run(run_id).data.params)


def plot_images(run_id: str, folder: str = PLOTS_DIR) -> dict[str, bytes]:
    """The PNG artifacts under `folder`, by file name, read into memory (nothing is left on
    disk)."""
    client = MlflowClient()
    names = sorted(
        item.path for item in client.list_artifacts(run_id, folder) if item.path.endswith(".png")
    )
    images: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for path in names:
            local = client.download_artifacts(run_id, path, scratch)
            images[Path(path).name] = Path(local).read_bytes()
    return images


def artifact_text(run_id: str, path: str) -> str:
    """A text artifact of the run (the model card, the segment CSV)."""
    with tracking.quiet_mlflow():
        return mlflow.artifacts.load_text(f"runs:/{run_id}/{path}")


def segments(run_id: str) -> pd.DataFrame:
    """The run's long per-segment evaluation table (evaluation/segments.csv)."""
    text = artifact_text(run_id, SEGMENTS_ARTIFACT)
    return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])


def holdout(run_id: str) -> pd.DataFrame:
    """The run's test split as logged: keys, target, segment columns and every feature."""
    with tempfile.TemporaryDirectory() as scratch, tracking.quiet_mlflow():
        path = mlflow.artifacts.download_artifacts(
            run_id=run_id, artifact_path=HOLDOUT_ARTIFACT, dst_path=scratch
        )
        return pd.read_parquet(path)


def run_model(run_id: str) -> RiskModel:
    """The RiskModel the run logged (booster, calibrator, feature names)."""
    return tracking.load_risk_model(f"runs:/{run_id}/model")
