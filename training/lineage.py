"""Lineage between a dataset, the training run that read it and the version it registered.

Cheap by design: the dataset is logged as an MLflow input by path and digest only (no rows, no
schema), and the links are a few tags, so `train` pays nothing measurable for them.
"""

from __future__ import annotations

from pathlib import Path

import mlflow
from mlflow import MlflowClient
from mlflow.data.dataset_source_registry import resolve_dataset_source
from mlflow.data.meta_dataset import MetaDataset

from training.tracking import quiet_mlflow

# MLflow stores a dataset digest in a short column; the full sha256 is the run's
# `dataset_sha256` param and the version's tag.
DIGEST_CHARS = 16


def log_dataset_input(data_dir: Path, digest: str) -> None:
    """Log the dataset directory as the active run's training input (path and digest)."""
    with quiet_mlflow():  # the path resolves to more than one source kind; local is right
        source = resolve_dataset_source(str(data_dir.resolve()))
    # MetaDataset is MLflow's own metadata-only dataset; its stubs leave `profile` abstract,
    # and at run time it is simply None.
    dataset = MetaDataset(  # type: ignore[abstract]
        source, name=data_dir.resolve().name, digest=digest[:DIGEST_CHARS]
    )
    mlflow.log_input(dataset, context="training")


def version_tags(run_id: str, digest: str) -> dict[str, str]:
    """The tags a registered version carries back to its run and dataset."""
    return {"run_id": run_id, "dataset_sha256": digest}


def version_description(data_dir: Path, digest: str, test_start: str | None) -> str:
    """One line a reviewer reads in the registry: what data, which test period."""
    tested = f", test period from {test_start}" if test_start else ""
    return f"trained on {data_dir.resolve()} (sha256 {digest[:DIGEST_CHARS]}){tested}"


def tag_run_with_version(run_id: str, version: str) -> None:
    """Point the training run at the version it registered."""
    MlflowClient().set_tag(run_id, "registered_version", version)
