"""The champion model the API scores with, and how a registry version becomes one.

`ChampionModel` satisfies `service.api.model_status.ModelStatus`. A request takes `current()`
once and scores with that object throughout, so a swap mid-request never mixes two versions.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from sqlalchemy.engine import make_url

from features import registry_version
from service.errors import ModelNotReady
from service.scoring.fast_path import RowScorer
from training import tracking
from training.registry import CHAMPION, MODEL_NAME
from training.steps.model import RiskModel

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedModel:
    """A RiskModel, the registry version it came from (`provider-risk/3`) and its one-row
    scorer, compiled from the same booster when the model is loaded (not per request)."""

    model: RiskModel
    version: str
    number: str
    scorer: RowScorer = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scorer", RowScorer(self.model))


class ChampionModel:
    """The model being served, replaced whole by `swap` (one reference assignment)."""

    def __init__(self, loaded: LoadedModel | None = None) -> None:
        self._loaded = loaded
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        """True once a model can score."""
        return self._loaded is not None

    @property
    def version(self) -> str | None:
        """The loaded version (`provider-risk/3`), None before one is loaded."""
        loaded = self._loaded
        return loaded.version if loaded is not None else None

    @property
    def number(self) -> str | None:
        """The loaded registry version number, to compare with the alias."""
        loaded = self._loaded
        return loaded.number if loaded is not None else None

    def current(self) -> LoadedModel:
        """The model to score one request with; ModelNotReady (503) when none is loaded."""
        loaded = self._loaded
        if loaded is None:
            raise ModelNotReady("no champion model is loaded; promote one and retry")
        return loaded

    def swap(self, loaded: LoadedModel) -> None:
        """Serve `loaded` from now on; requests already running finish with the old one."""
        with self._lock:
            self._loaded = loaded


class ChampionSource:
    """Where the champion lives: `models:/provider-risk@champion` in one tracking store."""

    def __init__(self, tracking_uri: str, *, name: str = MODEL_NAME, alias: str = CHAMPION):
        self.tracking_uri = tracking_uri
        self.name = name
        self.alias = alias

    def _store_missing(self) -> bool:
        # An embedded store that was never created holds no champion; opening it would create
        # an empty MLflow database as a side effect of merely starting the API.
        if not self.tracking_uri.startswith("sqlite:"):
            return False
        database = make_url(self.tracking_uri).database
        return database not in (None, "", ":memory:") and not Path(database).is_file()

    def champion_number(self) -> str | None:
        """The version number the alias points at now, None if there is none (or no store)."""
        if self._store_missing():
            return None
        client = MlflowClient(tracking_uri=self.tracking_uri, registry_uri=self.tracking_uri)
        try:
            with tracking.quiet_mlflow():
                return str(client.get_model_version_by_alias(self.name, self.alias).version)
        except MlflowException:
            return None

    def load(self, number: str) -> LoadedModel:
        """Load version `number`'s own model files (booster and calibrator) once.

        Raises ValueError when the model was trained on another feature registry: scoring it
        with this code's features would be silently wrong.
        """
        tracking.use_store(self.tracking_uri)
        model = tracking.load_risk_model(f"models:/{self.name}/{number}")
        if model.registry_version != registry_version():
            raise ValueError(
                f"{self.name}/{number} was trained on feature registry {model.registry_version}, "
                f"this code computes {registry_version()}"
            )
        return LoadedModel(model=model, version=f"{self.name}/{number}", number=number)

    def load_champion(self) -> LoadedModel | None:
        """The current champion, loaded; None when there is none or it cannot be loaded."""
        number = self.champion_number()
        if number is None:
            # Said once, at start-up: the watcher checks the alias again quietly.
            logger.warning(
                "no %s@%s in MLFLOW_TRACKING_URI's registry: train and promote one; it is "
                "loaded as soon as the alias points at it",
                self.name,
                self.alias,
            )
            return None
        try:
            return self.load(number)
        except (MlflowException, OSError, ValueError, TypeError, KeyError) as exc:
            logger.error("cannot load %s/%s: %s", self.name, number, exc)
            return None
