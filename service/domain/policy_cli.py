"""`connect-risk policy check FILE`: validate a policy file and summarise it, or name each error."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from service.domain.cells import resolve_cell
from service.domain.policy_errors import PolicyError
from service.domain.policy_model import Policy
from service.domain.policy_yaml import load_policy


def add_parser(subparsers: Any) -> None:
    """Register `policy check FILE` on the top-level `connect-risk` subparsers."""
    policy = subparsers.add_parser("policy", help="work with risk policy files")
    commands = policy.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    check = commands.add_parser(
        "check",
        help="validate a policy file",
        description="Validate a policy YAML file. Exit 0 with a summary when it is valid, "
        "1 with one `FILE:LINE: field: message` per error, 2 when it cannot be read.",
    )
    check.add_argument("file", metavar="FILE", help="policy YAML file")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Validate `args.file`; print a summary (stdout) or the located errors (stderr)."""
    try:
        policy = load_policy(args.file)
    except PolicyError as exc:
        count = len(exc.issues)
        plural = "s" if count != 1 else ""
        sys.stderr.write(f"{exc.report()}\n{args.file}: invalid ({count} error{plural})\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"{args.file}: cannot read: {exc.strerror or exc}\n")
        return 2
    sys.stdout.write(summary(policy, args.file) + "\n")
    return 0


def summary(policy: Policy, source: str) -> str:
    """A few lines describing a valid policy: version, hash, bands, segments, rejection."""
    bands = ", ".join(f"{b.name}>={b.min_score:g}" for b in policy.bands)
    segments = ", ".join(s.name for s in policy.segments)
    cells = len(policy.bands) * len(policy.segments)
    rejecting = [
        s.name
        for s in policy.segments
        if (cell := resolve_cell(policy.actions, s.name, policy.top_band))
        and not isinstance(cell, list)
        and cell.reject is not None
    ]
    return "\n".join(
        [
            f"{source}: valid",
            f"  version {policy.version}, policy_hash {policy.policy_hash}",
            f"  bands: {bands}",
            f"  segments (first match wins): {segments}",
            f"  {cells} (segment, band) cells resolve; band {policy.top_band!r} rejects in: "
            f"{', '.join(rejecting) or 'no segment'}",
        ]
    )
