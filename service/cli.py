"""The `connect-risk` command: one entry point whose subcommands live beside the code they run.

Each subcommand module exposes `add_parser(subparsers)`, which registers its arguments and sets
`handler` to a function `(argparse.Namespace) -> int` returning the exit code. Argument errors
exit with status 2, as argparse does.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from service import import_cli, serve_cli
from service.auth import cli as apikey_cli
from service.domain import policy_cli
from service.stripe_emulator import cli as stripe_emulator_cli
from service.worker import cli as worker_cli
from training import cli as training_cli


def build_parser() -> argparse.ArgumentParser:
    """Assemble the top-level parser from every package's subcommands."""
    parser = argparse.ArgumentParser(
        prog="connect-risk",
        description="Provider-risk scoring and enforcement for Stripe Connect platforms.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    training_cli.add_commands(subparsers)
    stripe_emulator_cli.add_parser(subparsers)
    policy_cli.add_parser(subparsers)
    serve_cli.add_parser(subparsers)
    import_cli.add_parser(subparsers)
    apikey_cli.add_parser(subparsers)
    worker_cli.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
