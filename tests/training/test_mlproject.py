"""MLproject's entry points call `connect-risk` with flags it accepts, so `mlflow run . -e …`
works with the defaults and with every declared parameter."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from service.cli import build_parser

MLPROJECT = Path(__file__).resolve().parents[2] / "MLproject"
ENTRY_POINTS = yaml.safe_load(MLPROJECT.read_text("utf-8"))["entry_points"]


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_each_entry_point_parses_with_its_defaults(name: str) -> None:
    entry = ENTRY_POINTS[name]
    defaults = {key: spec["default"] for key, spec in entry["parameters"].items()}
    argv = shlex.split(entry["command"].format(**defaults))
    assert argv[0] == "connect-risk"
    args = build_parser().parse_args(argv[1:])
    assert args.command == name
    for key, value in defaults.items():
        if hasattr(args, key):
            assert str(getattr(args, key)) == str(value)
