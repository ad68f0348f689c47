"""`connect-risk train`: engine and device arguments, and labels that cannot train, fail early
with exit codes and messages naming the problem, before any MLflow store exists."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from service.cli import main


@pytest.fixture
def copy(dataset_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the shared dataset, free to break."""
    return Path(shutil.copytree(dataset_dir, tmp_path / "data"))


@pytest.mark.usefixtures("store")
def test_cuda_without_a_gpu_fails_before_mlflow_is_touched(dataset_dir, tmp_path, capsys):
    assert main(["train", "--data", str(dataset_dir), "--device", "cuda"]) == 2
    err = capsys.readouterr().err
    assert "--device cuda" in err and ("GPU" in err or "CUDA" in err)
    assert not (tmp_path / "mlflow.db").exists()


@pytest.mark.usefixtures("store")
def test_a_scheduler_needs_the_dask_engine(dataset_dir, capsys):
    argv = ["train", "--data", str(dataset_dir), "--scheduler", "tcp://127.0.0.1:9"]
    assert main(argv) == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err


@pytest.mark.usefixtures("store")
def test_a_split_short_of_positives_names_file_and_split(copy, tmp_path, capsys):
    labels = pd.read_csv(copy / "labels.csv", keep_default_na=False)
    first_two = labels.index[labels["label"] == 1][:2]
    labels.loc[~labels.index.isin(first_two), "label"] = 0
    labels.to_csv(copy / "labels.csv", index=False)
    assert main(["train", "--data", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "labels.csv" in err and "too few positive snapshots per split" in err
    assert any(f"{name} has" in err for name in ("train", "calibration", "test"))
    assert not (tmp_path / "mlflow.db").exists()
