"""Argument types shared by every `connect-risk` subcommand: one wording for one mistake.

Lives in `training` (the layer every CLI module may import), not in `service`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def positive_int(text: str) -> int:
    """An integer above zero, or argparse's usage error naming what was given."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def non_negative_int(text: str) -> int:
    """An integer of zero or more, or argparse's usage error naming what was given."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {value}")
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


def some_of(items: Sequence[str], shown: int = 10) -> str:
    """`items` for a message, the first `shown` of them and how many more: `a, b and 3 more`."""
    head = ", ".join(items[:shown])
    rest = len(items) - shown
    return f"{head} and {rest:,} more" if rest > 0 else head


def database_url(text: str) -> str:
    """A database URL without a password: a command line is visible to other users (`ps`) and
    kept in shell history, so a password belongs in DATABASE_URL, never in an argument."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(text)
    except ArgumentError:
        # The text is not echoed: it may hold a password.
        raise argparse.ArgumentTypeError("not a database URL (e.g. sqlite:///var/x.db)") from None
    # libpq also takes a password from the query string (`?password=`, `?sslpassword=`).
    if url.password or {"password", "sslpassword"} & {key.lower() for key in url.query}:
        raise argparse.ArgumentTypeError(
            "this URL holds a password, which the command line would show to other users and "
            "keep in shell history; set DATABASE_URL in the environment instead"
        )
    return text
