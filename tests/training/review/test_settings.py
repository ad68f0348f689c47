"""Notebook parameters: environment variables over defaults that work after `make run`."""

from __future__ import annotations

from pathlib import Path

from training.review.settings import notebook_settings, repository_root


def test_defaults_are_under_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    settings = notebook_settings({}, notebooks)
    assert settings.root == tmp_path.resolve()
    assert settings.data == tmp_path.resolve() / "var" / "demo"
    assert settings.cache == tmp_path.resolve() / "var" / "cache"
    assert settings.tracking_uri == f"sqlite:///{tmp_path.resolve() / 'var' / 'mlflow.db'}"
    assert settings.later is None and settings.run is None
    assert settings.out == tmp_path.resolve() / "var" / "review"


def test_environment_overrides(tmp_path: Path) -> None:
    env = {
        "CONNECT_RISK_DATA": "/data/base",
        "CONNECT_RISK_LATER_DATA": "later",
        "CONNECT_RISK_CACHE": "/cache",
        "MLFLOW_TRACKING_URI": "http://mlflow:5000",
        "CONNECT_RISK_RUN": "challenger",
        "CONNECT_RISK_REVIEW_OUT": "/reviews",
    }
    settings = notebook_settings(env, tmp_path)
    assert settings.data == Path("/data/base")
    assert settings.later == settings.root / "later"
    assert settings.cache == Path("/cache")
    assert settings.tracking_uri == "http://mlflow:5000"
    assert settings.run == "challenger"
    assert settings.out == Path("/reviews")


def test_root_is_the_start_without_a_project_file(tmp_path: Path) -> None:
    assert repository_root(tmp_path) == tmp_path
