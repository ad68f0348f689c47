"""`connect-risk generate`: write a synthetic Connect marketplace dataset directory."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from training.cli_args import non_negative_int, positive_int
from training.synth.config import GeneratorConfig
from training.synth.dataset import clear_outputs, generate


def _date(text: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None
    if value.year < 1971:
        raise argparse.ArgumentTypeError(f"expected a date after 1970, got {text!r}")
    return value


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `generate` and its arguments."""
    parser = subparsers.add_parser(
        "generate",
        help="write a synthetic marketplace dataset (accounts, transactions, documents, labels)",
        description="Write a synthetic Stripe Connect marketplace in the dataset directory "
        "format: accounts.jsonl, transactions.csv, documents/, labels.csv, snapshots.csv.",
    )
    parser.add_argument("--out", required=True, type=Path, help="dataset directory to write")
    parser.add_argument("--accounts", required=True, type=positive_int, help="connected accounts")
    parser.add_argument(
        "--seed", required=True, type=non_negative_int, help="same seed, same bytes"
    )
    parser.add_argument(
        "--start",
        type=_date,
        default=dt.date(2025, 1, 1),
        help="first day observed, YYYY-MM-DD (default 2025-01-01)",
    )
    parser.add_argument(
        "--days", type=positive_int, default=365, help="days observed (default 365)"
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite a previous dataset in a non-empty --out"
    )
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=os.cpu_count() or 1,
        help="worker processes (default: CPU count); output does not depend on it",
    )
    parser.add_argument(
        "--no-documents",
        action="store_true",
        help="plan documents but do not render PDFs (faster; documents/ absent)",
    )
    parser.set_defaults(handler=run)


def _out_problem(out: Path, force: bool) -> str | None:
    """Why `out` cannot receive a dataset, or None when it can."""
    if out.exists() and not out.is_dir():
        return f"--out {out} exists and is not a directory"
    if out.is_dir():
        if any(out.iterdir()) and not force:
            return f"--out {out} is not empty; pass --force to overwrite its dataset files"
        target = out
    else:
        target = out.parent
        while not target.exists() and target != target.parent:
            target = target.parent
        if not target.is_dir():
            return f"--out {out}: {target} is not a directory"
    if not os.access(target, os.W_OK | os.X_OK):
        return f"--out {out}: cannot write to {target} (permission denied)"
    return None


def run(args: argparse.Namespace) -> int:
    """Validate the output directory, generate, and print a one-line summary."""
    problem = _out_problem(args.out, args.force)
    if problem is not None:
        print(f"connect-risk generate: error: {problem}", file=sys.stderr)
        return 2
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"connect-risk generate: error: --out {args.out}: {exc.strerror}", file=sys.stderr)
        return 2
    if args.force:
        clear_outputs(args.out)
    config = GeneratorConfig(
        accounts=args.accounts,
        seed=args.seed,
        start=args.start,
        days=args.days,
        render_documents=not args.no_documents,
    )
    summary = generate(config, args.out, workers=args.workers, progress=sys.stderr.isatty())
    print(summary.line(args.out))
    return 0
