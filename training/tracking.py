"""MLflow plumbing: the tracking store default, experiments, and RiskModel as an MLflow pyfunc."""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import mlflow
import numpy as np
import pandas as pd
import xgboost as xgb
from mlflow.models import ModelSignature, infer_signature
from mlflow.models.model import ModelInfo

from training.steps.model import RiskModel

# mlflow.pyfunc warns at import about its own agent type hints; that says nothing about ours.
IMPORT_NOISE = r".*Any type hint is inferred as AnyType"
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=IMPORT_NOISE, category=UserWarning)
    from mlflow.pyfunc import load_model, log_model
    from mlflow.pyfunc.model import PythonModel

MODEL_ARTIFACT = "risk_model"


def tracking_uri(environ: Mapping[str, str] | None = None) -> str:
    """MLFLOW_TRACKING_URI, or the SQLite file var/mlflow.db of the working directory (var/ is
    created when missing). The default is made absolute: MLflow caches stores by URI, so a
    relative one would keep pointing at the first directory it was opened from."""
    env = os.environ if environ is None else environ
    uri = env.get("MLFLOW_TRACKING_URI")
    if uri:
        return uri
    folder = Path("var").resolve()
    folder.mkdir(exist_ok=True)
    return f"sqlite:///{folder / 'mlflow.db'}"


@contextmanager
def quiet_mlflow() -> Iterator[None]:
    """Silence MLflow's advisory warnings (environment and signature hints) around a call;
    the test suite turns warnings into errors, and these say nothing about our data."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"mlflow(\.|$)")
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"mlflow(\.|$)")
        yield


def use_store(uri: str) -> None:
    """Point tracking and the model registry at one store."""
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)


def ensure_experiment(name: str, uri: str) -> str:
    """The id of experiment `name`, created when missing. For a SQLite store its artifacts go
    next to the database file (not into ./mlruns of whatever directory we run from)."""
    found = mlflow.get_experiment_by_name(name)
    if found is not None:
        return str(found.experiment_id)
    location = None
    parsed = urlparse(uri)
    if parsed.scheme == "sqlite":
        database = Path(uri.removeprefix("sqlite:///"))
        location = (database.resolve().parent / "mlartifacts").as_uri()
    return str(mlflow.create_experiment(name, artifact_location=location))


class RiskModelPyfunc(PythonModel):
    """Serves a RiskModel through MLflow: a frame of registry features in, a frame of calibrated
    `score` and `reasons` (top reason codes joined by ";") out."""

    def __init__(self) -> None:
        self.model: RiskModel | None = None

    def load_context(self, context: Any) -> None:
        """Read the booster and its metadata from the logged artifact directory."""
        self.model = RiskModel.load(Path(context.artifacts[MODEL_ARTIFACT]))

    def predict(self, context: Any, model_input: pd.DataFrame, params: Any = None) -> pd.DataFrame:
        """Score each row; columns must include every feature the model was trained on."""
        if self.model is None:
            raise RuntimeError("model not loaded")
        matrix = self.model.matrix(model_input)
        reasons = [";".join(r) for r in self.model.reasons(matrix)]
        return pd.DataFrame({"score": self.model.predict(matrix), "reasons": reasons})


def model_signature(model: RiskModel, example: pd.DataFrame) -> ModelSignature:
    """Inputs: every model feature as a float (NaN = not observed); outputs: score, reasons."""
    inputs = example.loc[:, list(model.feature_names)].astype(np.float64)
    matrix = model.matrix(inputs)
    outputs = pd.DataFrame(
        {"score": model.predict(matrix), "reasons": [";".join(r) for r in model.reasons(matrix)]}
    )
    return infer_signature(inputs, outputs)


def log_risk_model(model: RiskModel, example: pd.DataFrame) -> ModelInfo:
    """Log `model` as the active run's pyfunc `model`, with signature and input example."""
    inputs = example.loc[:, list(model.feature_names)].astype(np.float64).head(5)
    with tempfile.TemporaryDirectory() as scratch, quiet_mlflow():
        folder = Path(scratch) / MODEL_ARTIFACT
        model.save(folder)
        info: ModelInfo = log_model(
            name="model",
            python_model=RiskModelPyfunc(),
            artifacts={MODEL_ARTIFACT: str(folder)},
            signature=model_signature(model, inputs),
            input_example=inputs,
            pip_requirements=[
                f"xgboost=={xgb.__version__}",
                f"pandas=={pd.__version__}",
                f"numpy=={np.__version__}",
                "connect-risk",
            ],
        )
    return info


def load_risk_model(model_uri: str) -> RiskModel:
    """The RiskModel behind a logged pyfunc (`models:/provider-risk@champion`, `runs:/…`)."""
    with quiet_mlflow():
        loaded = load_model(model_uri)
    wrapper = loaded.unwrap_python_model()  # type: ignore[no-untyped-call]
    if not isinstance(wrapper, RiskModelPyfunc) or wrapper.model is None:
        raise TypeError(f"{model_uri} is not a provider-risk model")
    return wrapper.model
