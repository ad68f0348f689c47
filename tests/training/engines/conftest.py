"""One small generated dataset and one in-process Dask cluster shared by the engine tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from engines_support import THREADS

from training.engines import Engine, open_engine
from training.synth.config import DEFAULT_ARCHETYPE_RATES, GeneratorConfig
from training.synth.dataset import generate


@pytest.fixture(scope="package")
def dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,000 seeded accounts without rendered documents, four times the default bad rate: ~25
    positives in the test split, so the two engines' ROC-AUC can be compared at all."""
    out = tmp_path_factory.mktemp("engine-data")
    rates = {archetype: 4 * rate for archetype, rate in DEFAULT_ARCHETYPE_RATES.items()}
    config = GeneratorConfig(accounts=1000, seed=3, archetype_rates=rates, render_documents=False)
    generate(config, out, workers=1)
    return out


@pytest.fixture(scope="package")
def dask_engine() -> Iterator[Engine]:
    """A dask engine on a 2-worker, 1-thread-each LocalCluster."""
    with open_engine("dask", THREADS) as engine:
        yield engine


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A throwaway MLflow store, as MLFLOW_TRACKING_URI."""
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    return uri
