"""`connect-risk features`: exit codes and messages for good runs, bad arguments and bad data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from features import FEATURE_NAMES
from service.cli import main


def test_writes_the_feature_table(
    featurize_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "features.parquet"
    args = ["features", "--data", str(featurize_dir), "--out", str(out), "--workers", "1"]
    assert main([*args, "--cache", str(tmp_path / "cache")]) == 0
    printed = capsys.readouterr().out
    assert "wrote 3 snapshots" in printed and "2 documents parsed, 0 from cache" in printed
    frame = pd.read_parquet(out)
    assert list(frame.columns) == ["account", "as_of", *FEATURE_NAMES] and len(frame) == 3
    assert main([*args, "--cache", str(tmp_path / "cache")]) == 0
    assert "0 documents parsed, 2 from cache" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--data": "missing"}, "--data {tmp}/missing: not a directory"),
        ({"--out": "features.csv"}, "expected a .parquet file name"),
        ({"--cache": "file.txt"}, "--cache {tmp}/file.txt: not a directory"),
    ],
)
def test_bad_arguments_exit_2(
    featurize_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: dict[str, str],
    message: str,
) -> None:
    (tmp_path / "file.txt").write_text("x")
    options = {"--data": str(featurize_dir), "--out": str(tmp_path / "f.parquet")}
    options |= {key: str(tmp_path / value) for key, value in change.items()}
    argv = ["features", *[part for pair in options.items() for part in pair]]
    assert main(argv) == 2
    assert message.format(tmp=tmp_path) in capsys.readouterr().err


def test_non_positive_workers_is_an_argument_error(featurize_dir: Path, tmp_path: Path) -> None:
    argv = ["features", "--data", str(featurize_dir), "--out", str(tmp_path / "f.parquet")]
    with pytest.raises(SystemExit) as caught:
        main([*argv, "--workers", "0"])
    assert caught.value.code == 2


def test_bad_data_exits_1_naming_file_row_and_column(
    featurize_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = featurize_dir / "transactions.csv"
    path.write_text(path.read_text().replace("ch_3,acct_b,1700000300", "ch_3,acct_b,later"))
    out = tmp_path / "f.parquet"
    assert main(["features", "--data", str(featurize_dir), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "transactions.csv, row 3, column 'created': expected a whole number" in err
    assert not out.exists()
