"""Scoring fixtures: one tiny champion per session in a throwaway MLflow store, and the API
serving it over real HTTP on each database backend."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from scoring_support import SCOPES, ModelStore, issue_token, train_champion
from svc_support import LiveServer, make_settings

from service.app import create_app
from service.db.database import Database
from training import tracking
from training.steps.model import RiskModel


@pytest.fixture(scope="session")
def model_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModelStore]:
    """`provider-risk@champion` trained on 200 generated accounts (no rendered documents)."""
    root = tmp_path_factory.mktemp("mlflow")
    uri = f"sqlite:///{root / 'mlflow.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_TRACKING_URI", uri)
        version = train_champion(root / "data")
        yield ModelStore(uri=uri, data_dir=root / "data", version=version)


@pytest.fixture(scope="session")
def champion_model(model_store: ModelStore) -> RiskModel:
    tracking.use_store(model_store.uri)
    return tracking.load_risk_model(f"models:/provider-risk/{model_store.version}")


@pytest.fixture(scope="session")
def scoring_database(shared_database_url: str) -> Iterator[Database]:
    database = Database.connect(shared_database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def scoring_server(shared_database_url: str, model_store: ModelStore) -> Iterator[LiveServer]:
    """The API on the session's shared database, serving the champion, polling the alias often;
    without the in-process worker, whose dispatcher would settle other tests' planned actions."""
    settings = make_settings(
        shared_database_url,
        mlflow_tracking_uri=model_store.uri,
        model_poll_seconds=0.2,
        inprocess_worker=False,
    )
    with LiveServer(create_app(settings)) as server:
        yield server


@pytest.fixture
def client(scoring_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=scoring_server.url, timeout=30) as http:
        yield http


@pytest.fixture(scope="session")
def headers(scoring_database: Database) -> dict[str, str]:
    """A key allowed to score and to read decisions."""
    return issue_token(scoring_database, SCOPES)
