"""`connect-risk policy check FILE`: summary and exit 0, located errors and exit 1, unreadable 2."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from service.domain import policy_cli


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="connect-risk")
    policy_cli.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return int(args.handler(args))


def test_valid_policy_prints_a_summary(
    tmp_path: Path, policy_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(policy_text, encoding="utf-8")
    assert _run("policy", "check", str(path)) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{path}: valid")
    assert "new_high_risk_mcc, us_company, eu, default" in out
    assert "policy_hash " in out


def test_invalid_policy_names_file_and_lines(
    tmp_path: Path, policy_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "policy.yaml"
    broken = policy_text.replace("reason: fraud_other", "reason: fraud").replace(
        "weekly_anchor: monday", "weekly_anchor: mon", 1
    )
    path.write_text(broken, encoding="utf-8")
    assert _run("policy", "check", str(path)) == 1
    err = capsys.readouterr().err.splitlines()
    fraud_line = broken[: broken.index("reason: fraud")].count("\n") + 1
    assert f"{path}:{fraud_line}: actions.defaults.severe.reject.reason: " in err[1]
    assert err[0].startswith(f"{path}:")
    assert err[-1] == f"{path}: invalid (2 errors)"


def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("policy", "check", str(tmp_path / "missing.yaml")) == 2
    assert "cannot read" in capsys.readouterr().err


def test_missing_argument_is_an_argparse_error() -> None:
    with pytest.raises(SystemExit) as caught:
        _run("policy", "check")
    assert caught.value.code == 2
