"""`connect-risk train / promote / score`: argument and data errors, without a model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.cli import main

HEADER = (
    "id,account,created,type,amount,currency,status,card_country,card_fingerprint,customer,"
    "failure_code\n"
)


@pytest.fixture
def unlabelled(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    root.mkdir()
    account = {"id": "acct_a", "object": "account", "country": "US", "created": 1_700_000_000}
    (root / "accounts.jsonl").write_text(json.dumps(account) + "\n")
    (root / "transactions.csv").write_text(
        HEADER + "ch_1,acct_a,1700000100,charge,1000,usd,succeeded,US,fp1,cus_1,\n"
    )
    return root


@pytest.fixture(autouse=True)
def _store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")


def test_train_needs_an_existing_directory(tmp_path, capsys):
    assert main(["train", "--data", str(tmp_path / "missing")]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_train_without_labels_names_the_file(unlabelled, capsys):
    assert main(["train", "--data", str(unlabelled)]) == 1
    assert "labels.csv" in capsys.readouterr().err


def test_train_with_only_negative_labels_names_file_and_column(unlabelled, capsys):
    (unlabelled / "labels.csv").write_text("account,label,labeled_at\nacct_a,0,1700900000\n")
    assert main(["train", "--data", str(unlabelled)]) == 1
    err = capsys.readouterr().err
    assert "labels.csv" in err and "'label'" in err


@pytest.mark.parametrize("bands", ["0.5,0.2", "x", "0,1"])
def test_score_rejects_bad_bands(unlabelled, tmp_path, bands):
    with pytest.raises(SystemExit) as exit_info:
        main(
            ["score", "--data", str(unlabelled), "--out", str(tmp_path / "s.csv"), "--bands", bands]
        )
    assert exit_info.value.code == 2


def test_promote_rejects_a_margin_outside_its_range(capsys):
    assert main(["promote", "--margin", "3"]) == 2
    assert "--margin" in capsys.readouterr().err


def test_promote_whole_needs_data(capsys):
    assert main(["promote", "--whole"]) == 2
    assert "--whole needs --data" in capsys.readouterr().err


def test_score_out_must_not_be_a_directory(unlabelled, tmp_path, capsys):
    assert main(["score", "--data", str(unlabelled), "--out", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_evaluate_needs_an_existing_directory(tmp_path, capsys):
    assert main(["evaluate", "--data", str(tmp_path / "missing")]) == 2
    assert "not a directory" in capsys.readouterr().err
