"""The notebooks' parameters, from environment variables, with defaults that work after
`make run` in the repository root (var/demo, var/cache, sqlite:///var/mlflow.db).

| variable | meaning | default |
| --- | --- | --- |
| CONNECT_RISK_DATA | dataset directory to explore, and the base population of drift | var/demo |
| CONNECT_RISK_LATER_DATA | a later dataset to compare with it | none: the base's later half |
| CONNECT_RISK_CACHE | parsed-document cache shared with `connect-risk train --cache` | var/cache |
| MLFLOW_TRACKING_URI | MLflow store | sqlite:///var/mlflow.db |
| CONNECT_RISK_RUN | `champion`, `challenger` or a run id | champion, else challenger |
| CONNECT_RISK_REVIEW_OUT | where the drift review is saved (a folder per run) | var/review |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class NotebookSettings:
    """Resolved parameters; relative paths are taken from the repository root."""

    root: Path
    data: Path
    later: Path | None
    cache: Path
    tracking_uri: str
    run: str | None
    out: Path


def repository_root(start: Path) -> Path:
    """The nearest directory from `start` upwards holding pyproject.toml (notebooks run from
    notebooks/ under Jupyter and from wherever a runner starts them); `start` if none does."""
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    return start


def notebook_settings(
    environ: Mapping[str, str] | None = None, cwd: Path | None = None
) -> NotebookSettings:
    """Read the notebook parameters from `environ` (default: the process environment)."""
    env = os.environ if environ is None else environ
    root = repository_root((cwd or Path.cwd()).resolve())

    def path(name: str, default: str) -> Path:
        value = Path(env.get(name) or default)
        return value if value.is_absolute() else root / value

    later = env.get("CONNECT_RISK_LATER_DATA")
    return NotebookSettings(
        root=root,
        data=path("CONNECT_RISK_DATA", "var/demo"),
        later=path("CONNECT_RISK_LATER_DATA", later) if later else None,
        cache=path("CONNECT_RISK_CACHE", "var/cache"),
        tracking_uri=env.get("MLFLOW_TRACKING_URI") or f"sqlite:///{root / 'var' / 'mlflow.db'}",
        run=env.get("CONNECT_RISK_RUN") or None,
        out=path("CONNECT_RISK_REVIEW_OUT", "var/review"),
    )
