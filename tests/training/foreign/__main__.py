"""`python -m foreign OUT [--accounts N] [--seed S] [--no-documents]` (with tests/training on
PYTHONPATH): write a foreign dataset directory for `connect-risk evaluate`."""

from __future__ import annotations

import argparse
from pathlib import Path

from foreign.writer import ForeignConfig, make_dataset

parser = argparse.ArgumentParser(prog="python -m foreign", description=__doc__)
parser.add_argument("out", type=Path)
parser.add_argument("--accounts", type=int, default=600)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--no-documents", action="store_true")
args = parser.parse_args()
summary = make_dataset(
    args.out, ForeignConfig(accounts=args.accounts, seed=args.seed, documents=not args.no_documents)
)
print(summary)
