"""Argument types shared by every `connect-risk` subcommand: one wording for one mistake.

Lives in `training` (the layer every CLI module may import), not in `service`.
"""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    """An integer above zero, or argparse's usage error naming what was given."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def positive_float(text: str) -> float:
    """A number above zero, or argparse's usage error naming what was given."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


def port_number(text: str) -> int:
    """A TCP port (1-65535), or argparse's usage error naming what was given."""
    value = positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number up to 65535, got {value}")
    return value
