"""The `provider-risk` registered model: versions, the `challenger` and `champion` aliases."""

from __future__ import annotations

from collections.abc import Mapping

from mlflow import MlflowClient
from mlflow.entities.model_registry import ModelVersion
from mlflow.exceptions import MlflowException

MODEL_NAME = "provider-risk"
CHALLENGER = "challenger"
CHAMPION = "champion"


def register_challenger(
    model_uri: str,
    run_id: str,
    *,
    name: str = MODEL_NAME,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
) -> str:
    """Register a logged model as a new version (with `tags` and `description`) and alias it
    `challenger`.

    If aliasing fails the new version is deleted again, so the registry never holds a version
    that the training run did not finish publishing.

    Returns:
        The new version number, as a string.
    """
    client = MlflowClient()
    try:
        client.get_registered_model(name)
    except MlflowException:
        client.create_registered_model(name)
    version = client.create_model_version(
        name, model_uri, run_id=run_id, tags=dict(tags or {}), description=description
    )
    try:
        client.set_registered_model_alias(name, CHALLENGER, version.version)
    except BaseException:
        client.delete_model_version(name, version.version)
        raise
    return str(version.version)


def aliased(alias: str, *, name: str = MODEL_NAME) -> ModelVersion | None:
    """The version holding `alias`, or None when no version does (or the model is absent)."""
    try:
        return MlflowClient().get_model_version_by_alias(name, alias)
    except MlflowException:
        return None


def crown(version: str, *, name: str = MODEL_NAME) -> None:
    """Move the `champion` alias to `version`."""
    MlflowClient().set_registered_model_alias(name, CHAMPION, version)


def version_uri(version: ModelVersion) -> str:
    """The `models:/name/version` URI of a registered version."""
    return f"models:/{version.name}/{version.version}"


def describe_uri(model_uri: str) -> str:
    """`provider-risk/7` for a registry URI (alias resolved to its version); else the URI."""
    prefix = "models:/"
    if not model_uri.startswith(prefix):
        return model_uri
    rest = model_uri.removeprefix(prefix)
    if "@" in rest:
        name, alias = rest.split("@", 1)
        found = aliased(alias, name=name)
        return f"{name}/{found.version}" if found is not None else model_uri
    return rest
