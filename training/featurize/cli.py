"""`connect-risk features`: compute the feature table of a dataset directory."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from training.cli_args import positive_int
from training.dataset import DatasetError, load_dataset
from training.featurize.job import featurize, parse_dataset_documents, write_features


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `features` and its arguments."""
    parser = subparsers.add_parser(
        "features",
        help="compute every registered feature for a dataset's snapshots (Parquet)",
        description="Load a dataset directory, parse its documents, and write one row per "
        "snapshot (snapshots.csv, or each account as of its newest transaction) with account, "
        "as_of and every registered feature.",
    )
    parser.add_argument("--data", required=True, type=Path, help="dataset directory to read")
    parser.add_argument("--out", required=True, type=Path, help="Parquet file to write")
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=None,
        help="document parser processes (default: cores)",
    )
    parser.add_argument(
        "--cache", type=Path, default=None, help="directory caching parsed documents between runs"
    )
    parser.set_defaults(handler=run)


def _problem(args: argparse.Namespace) -> str | None:
    if not args.data.is_dir():
        return f"--data {args.data}: not a directory"
    if args.out.suffix != ".parquet":
        return f"--out {args.out}: expected a .parquet file name"
    if args.out.is_dir():
        return f"--out {args.out}: is a directory"
    if args.cache is not None and args.cache.exists() and not args.cache.is_dir():
        return f"--cache {args.cache}: not a directory"
    return None


def run(args: argparse.Namespace) -> int:
    """Validate arguments, then load, parse, featurise and write; report what was done."""
    problem = _problem(args)
    if problem is not None:
        print(f"connect-risk features: error: {problem}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        dataset = load_dataset(args.data)
    except DatasetError as exc:
        print(f"connect-risk features: error: {args.data}: {exc}", file=sys.stderr)
        return 1
    progress = sys.stderr.isatty()
    evidence = parse_dataset_documents(
        dataset, workers=args.workers, cache_dir=args.cache, progress=progress
    )
    frame = featurize(dataset, evidence.by_account)
    try:
        write_features(frame, args.out)
    except OSError as exc:
        print(f"connect-risk features: error: --out {args.out}: {exc.strerror}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    print(
        f"wrote {len(frame)} snapshots x {frame.shape[1] - 2} features to {args.out} "
        f"({evidence.parsed} documents parsed, {evidence.cached} from cache; {seconds:.1f} s)"
    )
    return 0
