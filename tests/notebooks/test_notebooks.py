"""notebooks/ executed on a small generated dataset: generate (a base and a later dataset) ->
train -> promote into a temporary MLflow store, then run both notebooks top to bottom in a
kernel of this interpreter and check what they show."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from service.cli import main

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
KERNEL = "connect-risk-tests"


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The notebooks' parameters, pointing at a trained and promoted model and its data."""
    root = tmp_path_factory.mktemp("notebooks")
    data, later, cache = root / "data", root / "later", root / "cache"
    env = {
        "MLFLOW_TRACKING_URI": f"sqlite:///{root / 'mlflow.db'}",
        "CONNECT_RISK_DATA": str(data),
        "CONNECT_RISK_LATER_DATA": str(later),
        "CONNECT_RISK_CACHE": str(cache),
        "CONNECT_RISK_REVIEW_OUT": str(root / "review"),
        # A kernel spec naming this interpreter, so a fresh venv needs no registered kernel.
        "JUPYTER_PATH": str(root / "jupyter"),
    }
    spec = root / "jupyter" / "kernels" / KERNEL / "kernel.json"
    spec.parent.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.write_text(json.dumps({"argv": argv, "display_name": KERNEL, "language": "python"}))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        for name in ("CONNECT_RISK_RUN", "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR"):
            patch.delenv(name, raising=False)
        # One generator process: starting a pool costs far more than 400 small accounts.
        base = ["--accounts", "300", "--seed", "3", "--workers", "1"]
        assert main(["generate", "--out", str(data), *base]) == 0
        shifted = ["--accounts", "100", "--seed", "4", "--start", "2026-01-01", "--workers", "1"]
        assert main(["generate", "--out", str(later), *shifted]) == 0
        assert main(["train", "--data", str(data), "--cache", str(cache), "--workers", "2"]) == 0
        assert main(["promote", "--margin", "-1.0"]) == 0
        yield env


def _execute(name: str) -> nbformat.NotebookNode:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name=KERNEL,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    return notebook


def _outputs(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]


def _text(notebook: nbformat.NotebookNode) -> str:
    parts = []
    for output in _outputs(notebook):
        if output.output_type == "stream":
            parts.append(output.text)
        elif "data" in output:
            parts.extend(
                str(output.data.get(kind, ""))
                for kind in ("text/plain", "text/html", "text/markdown")
            )
    return "\n".join(parts)


def _pngs(notebook: nbformat.NotebookNode) -> int:
    return sum(1 for o in _outputs(notebook) if "image/png" in o.get("data", {}))


def _stderr(notebook: nbformat.NotebookNode) -> str:
    return "".join(o.text for o in _outputs(notebook) if o.get("name") == "stderr")


def test_model_review_runs_on_the_champion(environment: dict[str, str]) -> None:
    notebook = _execute("model_review.ipynb")
    text = _text(notebook)
    assert "(champion, registered version 1)" in text
    for metric in ("roc_auc", "recall_at_5fpr", "ece"):
        assert metric in text  # metrics table
    assert _pngs(notebook) >= 5 + 2  # the run's five plots, the PSI bars, the score histogram
    assert "provider-risk model card" in text
    assert "share_anywhere" in text  # reason frequencies
    assert "roc_auc_model" in text and "thin" in text  # segment table
    assert f"later {environment['CONNECT_RISK_LATER_DATA']}" in text
    assert "psi" in text and "verdict" in text and "later_median" in text  # PSI table
    [saved] = Path(environment["CONNECT_RISK_REVIEW_OUT"]).iterdir()  # one folder: the run
    assert f"drift review saved in {saved}" in text
    assert {path.name for path in saved.iterdir()} == {
        "psi.csv",
        "psi.png",
        "score_drift.png",
        "compared.txt",
    }
    assert "later_median" in (saved / "psi.csv").read_text()
    assert "Warning" not in _stderr(notebook)


def test_data_exploration_summarises_the_dataset(environment: dict[str, str]) -> None:
    notebook = _execute("data_exploration.ipynb")
    text = _text(notebook)
    assert f"dataset {environment['CONNECT_RISK_DATA']}" in text
    for shown in ("accounts", "document_files", "signup_month", "amount_p90", "status_failed"):
        assert shown in text
    assert "read from the cache" in text and "outcome" in text  # parse outcomes
    assert _pngs(notebook) >= 5
    assert "Warning" not in _stderr(notebook)


@pytest.mark.parametrize("name", ["model_review.ipynb", "data_exploration.ipynb"])
def test_notebooks_are_committed_without_outputs(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
