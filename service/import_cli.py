"""`connect-risk import --data DIR`: load a dataset directory into the service's database.

The backfill a platform runs once when it adopts the service (and again whenever it likes:
the import is idempotent), so `POST /v1/scores {"account_id": …}` sees each account's stored
state, money movements and documents. What each step keeps or skips is in
`service.usecases.import_dataset`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from training.cli_args import database_url, some_of

if TYPE_CHECKING:
    from features.documents import ParseLimits
    from training.dataset import Dataset

# The database and parsing code is imported when the command runs, so --help stays quick.


def _moment(text: str) -> dt.datetime:
    """Unix seconds or ISO 8601 with an offset."""
    try:
        return dt.datetime.fromtimestamp(int(text), dt.UTC)
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected Unix seconds or ISO 8601 with an offset, got {text!r}"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"give {text!r} an offset, e.g. {text}+00:00")
    return moment


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the `import` subcommand and set its handler."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "import",
        help="load a dataset directory (accounts, transactions, documents) into the service",
        description="Store a dataset directory (docs/data-contract.md) in the service's database "
        "so its accounts can be scored by id: each Account object as the account's Stripe state "
        "(unless a newer one is stored), every transaction (a stored one only moves to a later "
        "status), and every document, parsed under the upload limits and stored once per "
        "account. The whole dataset is checked before anything is written; each chunk commits "
        "on its own, and running the import again stores only what is missing or newer.",
    )
    parser.add_argument("--data", required=True, type=Path, help="the dataset directory")
    parser.add_argument(
        "--captured-at",
        type=_moment,
        help="when the Account objects were exported (Unix seconds or ISO 8601 with offset; "
        "default: accounts.jsonl's modification time); a state stored for a later time is kept",
    )
    parser.add_argument(
        "--no-documents",
        action="store_true",
        help="skip documents/ (accounts and transactions only)",
    )
    parser.add_argument(
        "--database-url",
        type=database_url,
        help="database to load (default: $DATABASE_URL or var/connect-risk.db); one with a "
        "password only through DATABASE_URL",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Validate the dataset, then import it; exit 2 for bad arguments or settings, 1 for a
    dataset that breaks the contract (naming file, row and column) or an unreachable
    database."""
    from service.db.database import UNREACHABLE
    from service.errors import ConfigurationError, StoreUnavailable
    from service.settings import load_settings
    from service.usecases.upload_document import document_limits
    from training.dataset import DatasetError, load_dataset
    from training.dataset.accounts import ACCOUNTS_FILE

    if not args.data.is_dir():
        print(f"import: --data {args.data}: not a directory", file=sys.stderr)
        return 2
    try:
        overrides = {"database_url": args.database_url} if args.database_url else {}
        settings = load_settings(**overrides)
    except ConfigurationError as exc:
        print(f"import: {exc}", file=sys.stderr)
        return 2
    try:
        dataset = load_dataset(args.data)
    except DatasetError as exc:
        # As for `train` and `score`: data that breaks the contract is a failure (1), not a
        # usage error.
        print(f"import: {exc}", file=sys.stderr)
        return 1
    captured_at = args.captured_at or dt.datetime.fromtimestamp(
        (dataset.path / ACCOUNTS_FILE).stat().st_mtime, dt.UTC
    )
    try:
        lines = _import(
            dataset,
            settings.database_url,
            document_limits(settings),
            captured_at,
            documents=not args.no_documents,
            quiet=args.quiet,
        )
    except (StoreUnavailable, *UNREACHABLE) as exc:
        print(f"import: the database cannot be reached ({type(exc).__name__})", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0


def _import(
    dataset: Dataset,
    database_url: str,
    limits: ParseLimits,
    captured_at: dt.datetime,
    *,
    documents: bool,
    quiet: bool,
) -> list[str]:
    """Run the three steps with progress bars; the summary lines to print."""
    from sqlalchemy.engine import make_url
    from tqdm import tqdm

    from features.documents import parse_documents
    from service.db.database import Database
    from service.usecases.import_dataset import (
        import_accounts,
        import_documents,
        import_transactions,
    )

    def bar(description: str, total: int, unit: str) -> tqdm[Any]:
        return tqdm(total=total, desc=description, unit=unit, disable=quiet, file=sys.stderr)

    database = Database.connect(database_url)
    try:
        with bar("accounts", len(dataset.accounts), "account") as progress:
            accounts = import_accounts(
                database, dataset.accounts, captured_at=captured_at, advance=progress.update
            )
        with bar("transactions", len(dataset.transactions), "row") as progress:
            transactions = import_transactions(
                database, dataset.transactions, advance=progress.update
            )
        files = dataset.documents if documents else {}
        with bar("documents", sum(len(paths) for paths in files.values()), "file") as progress:
            stored = import_documents(
                database,
                files,
                parse_many=lambda blobs: parse_documents(blobs, limits=limits),
                max_bytes=limits.max_bytes,
                advance=progress.update,
            )
    finally:
        database.dispose()
    target = make_url(database_url).render_as_string(hide_password=True)
    return [
        f"imported {dataset.path} into {target}",
        f"accounts: {accounts.stored:,} states stored as of {captured_at.isoformat()}, "
        f"{accounts.kept_newer:,} kept (a newer state was stored)",
        f"transactions: {transactions:,} loaded (a stored one keeps a later status)",
        f"documents: {stored.stored:,} stored ({stored.unreadable:,} unreadable, kept with "
        f"their reason), {stored.already_known:,} already stored"
        + (f", {stored.read_again:,} read again after a timeout" if stored.read_again else "")
        + ("" if documents else " (skipped: --no-documents)"),
    ] + (
        [f"unreadable: {some_of([_refusal(dataset.path, p, r) for p, r in stored.refused])}"]
        if stored.refused
        else []
    )


def _refusal(root: Path, path: Path, reason: str) -> str:
    return f"{path.relative_to(root) if path.is_relative_to(root) else path} ({reason})"
