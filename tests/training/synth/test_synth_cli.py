"""`connect-risk generate`: bad arguments exit with status 2 and a clear message."""

from __future__ import annotations

import pytest

from service.cli import main
from training.dataset import DatasetError, load_dataset
from training.synth import dataset as dataset_module
from training.synth.config import GeneratorConfig


def run(argv, capsys):
    try:
        code = main(["generate", *argv])
    except SystemExit as exc:  # argparse errors
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--accounts", "0"], "--accounts: expected a positive integer, got 0"),
        (["--accounts", "-3"], "--accounts: expected a positive integer, got -3"),
        (["--accounts", "many"], "--accounts: expected a positive integer, got 'many'"),
        (["--start", "2025-13-01"], "--start: expected a date YYYY-MM-DD, got '2025-13-01'"),
        (["--start", "yesterday"], "--start: expected a date YYYY-MM-DD, got 'yesterday'"),
        (["--start", "1969-07-20"], "--start: expected a date after 1970, got '1969-07-20'"),
        (["--days", "0"], "--days: expected a positive integer, got 0"),
        (["--workers", "0"], "--workers: expected a positive integer, got 0"),
        (["--seed", "-1"], "--seed: expected a non-negative integer, got -1"),
    ],
)
def test_bad_arguments(tmp_path, capsys, extra, message):
    argv = ["--out", str(tmp_path / "d"), "--accounts", "5", "--seed", "1", *extra]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert message in err
    assert not (tmp_path / "d").exists()


def test_missing_required_argument(capsys):
    code, _, err = run(["--accounts", "5", "--seed", "1"], capsys)
    assert code == 2 and "--out" in err


def test_non_empty_out_needs_force(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("keep me")
    code, _, err = run(["--out", str(tmp_path), "--accounts", "5", "--seed", "1"], capsys)
    assert code == 2 and "is not empty; pass --force" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("below_a_file", [False, True])
def test_out_that_cannot_be_a_directory(tmp_path, capsys, below_a_file):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = blocker / "dataset" if below_a_file else blocker
    code, _, err = run(["--out", str(out), "--accounts", "5", "--seed", "1"], capsys)
    assert code == 2 and "not a directory" in err and str(out) in err


def test_generates_and_overwrites_with_force(tmp_path, capsys):
    argv = ["--out", str(tmp_path), "--accounts", "30", "--seed", "2", "--workers", "1"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    assert out.startswith("generated 30 accounts") and out.count("\n") == 1
    assert "transactions" in out and "documents" in out
    first = (tmp_path / "transactions.csv").read_bytes()
    stale = tmp_path / "documents" / "acct_stale"
    stale.mkdir()
    (tmp_path / "notes.txt").write_text("not ours")
    code, _, _ = run([*argv, "--force", "--no-documents"], capsys)
    assert code == 0
    assert (tmp_path / "transactions.csv").read_bytes() == first
    assert not (tmp_path / "documents").exists()  # the old dataset's documents are gone
    assert (tmp_path / "notes.txt").exists()  # files that are not the dataset's stay


def test_an_interrupted_run_leaves_no_file_of_a_finished_dataset(tmp_path, monkeypatch):
    real_chunk = dataset_module._run_chunk
    calls = []

    def interrupted(task):
        calls.append(task)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C on the second chunk
        return real_chunk(task)

    monkeypatch.setattr(dataset_module, "_run_chunk", interrupted)
    out = tmp_path / "data"
    out.mkdir()
    config = GeneratorConfig(accounts=2 * dataset_module.CHUNK, seed=5, render_documents=False)
    with pytest.raises(KeyboardInterrupt):
        dataset_module.generate(config, out)
    left = {path.name for path in out.iterdir() if path.is_file()}
    assert not left & {"accounts.jsonl", "transactions.csv", "labels.csv", "snapshots.csv"}
    assert not any(name.endswith(".partial") for name in left)
    with pytest.raises(DatasetError, match="accounts.jsonl"):
        load_dataset(out)

    monkeypatch.setattr(dataset_module, "_run_chunk", real_chunk)
    dataset_module.generate(config, out)
    assert len(load_dataset(out).accounts) == config.accounts
