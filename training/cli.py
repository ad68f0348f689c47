"""Subcommands for data scientists: build datasets, features and models."""

from __future__ import annotations

import argparse
from typing import Any

from training import train_cli
from training.featurize import cli as featurize_cli
from training.synth import cli as synth_cli


def add_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register the training-side subcommands on the top-level parser."""
    synth_cli.add_parser(subparsers)
    featurize_cli.add_parser(subparsers)
    train_cli.add_parser(subparsers)
