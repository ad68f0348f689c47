"""`connect-risk apikey create|revoke|list`: manage the API keys the service accepts."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service.auth.scopes import SCOPES, InvalidScope, parse_scopes
from service.errors import ConfigurationError, ConnectRiskError, InvalidInput, UnknownApiKey
from training.cli_args import database_url

if TYPE_CHECKING:
    from service.db.database import Database
    from service.settings import Settings

# Database and settings code is imported when a subcommand runs, so the CLI starts quickly.


def _scopes(text: str) -> frozenset[str]:
    try:
        return parse_scopes(text)
    except InvalidScope as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _name(text: str) -> str:
    from service.auth.keys import check_name

    try:
        return check_name(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register `apikey` and its subcommands, each setting `handler`."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "apikey",
        help="create, revoke and list API keys",
        description="Manage the Bearer API keys of the scoring API. Keys are stored hashed; "
        "a new key is printed once, alone on the last line.",
    )
    commands = parser.add_subparsers(dest="apikey_command", metavar="ACTION", required=True)
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--database-url",
        type=database_url,
        help="database to use (default: $DATABASE_URL or var/connect-risk.db); one with a "
        "password only through DATABASE_URL",
    )

    create = commands.add_parser(
        "create",
        parents=[database],
        help="issue a new key",
        epilog="scopes: " + "; ".join(f"{name} ({what})" for name, what in SCOPES.items()),
    )
    create.add_argument("--name", required=True, type=_name, help="what the key is for")
    create.add_argument(
        "--scopes", required=True, type=_scopes, help="comma-separated, e.g. scores:write,admin"
    )
    create.set_defaults(handler=create_command)

    revoke = commands.add_parser("revoke", parents=[database], help="revoke a key for good")
    revoke.add_argument("key_id", metavar="KEY_ID", help="the key id `apikey list` shows")
    revoke.set_defaults(handler=revoke_command)

    listing = commands.add_parser("list", parents=[database], help="list keys (never secrets)")
    listing.set_defaults(handler=list_command)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    from service.settings import load_settings

    overrides = {"database_url": args.database_url} if args.database_url else {}
    return load_settings(**overrides)


@contextlib.contextmanager
def _database(settings: Settings, *, existing: bool = False) -> Iterator[Database]:
    """The configured database; with `existing`, an SQLite file that is not there is an error
    rather than a new, empty database (a mistyped path would otherwise list no keys)."""
    from service.db.database import Database

    if existing:
        _require_sqlite_file(settings.database_url)
    database = Database.connect(settings.database_url)
    try:
        yield database
    finally:
        database.dispose()


def _require_sqlite_file(database_url: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    path = url.database
    if url.get_backend_name() == "sqlite" and path and path != ":memory:":
        if not Path(path).is_file():
            raise ConfigurationError(
                f"no SQLite database at {path}; check DATABASE_URL or --database-url"
            )


def _report(command: str, exc: ConnectRiskError) -> int:
    """Print the error for the operator; exit 2 for bad input or settings, 1 otherwise."""
    print(f"apikey {command}: {exc}", file=sys.stderr)
    return 2 if isinstance(exc, ConfigurationError | UnknownApiKey) else 1


def create_command(args: argparse.Namespace) -> int:
    """Issue a key and print it, alone, as the last line."""
    from service.auth.keys import issue_key
    from service.auth.pepper import resolve_pepper

    try:
        settings = _settings(args)
        pepper = resolve_pepper(settings)
        with _database(settings) as database, database.session() as session, session.begin():
            issued = issue_key(session=session, name=args.name, scopes=args.scopes, pepper=pepper)
    except ConnectRiskError as exc:
        return _report("create", exc)
    principal = issued.principal
    print(
        f"created API key {principal.key_id} ({principal.name}) "
        f"with scopes {', '.join(sorted(principal.scopes))}"
    )
    print("it is shown only now; store it safely:")
    print(issued.token)
    return 0


def revoke_command(args: argparse.Namespace) -> int:
    """Revoke one key by id; exit 2 if there is no such key."""
    from service.auth.keys import revoke_key
    from service.db.base import utcnow

    try:
        settings = _settings(args)
        started = utcnow()
        with (
            _database(settings, existing=True) as database,
            database.session() as session,
            session.begin(),
        ):
            revoked = revoke_key(session=session, key_id=args.key_id)
    except ConnectRiskError as exc:
        return _report("revoke", exc)
    if revoked.revoked_at is not None and revoked.revoked_at < started:
        when = f"{revoked.revoked_at:%Y-%m-%d %H:%M} UTC"
        print(f"API key {revoked.id} was already revoked on {when}")
    else:
        print(f"revoked API key {revoked.id}")
    return 0


def list_command(args: argparse.Namespace) -> int:
    """Print every key: id, status, creation date, scopes and name (never a secret)."""
    from service.db.repositories.api_keys import list_api_keys

    try:
        settings = _settings(args)
        with _database(settings, existing=True) as database, database.session() as session:
            lines = [
                f"{key.id}  {'revoked' if key.revoked else 'active':7}  "
                f"{key.created_at:%Y-%m-%d}  {','.join(key.scopes)}  {key.name}"
                for key in list_api_keys(session=session)
            ]
    except ConnectRiskError as exc:
        return _report("list", exc)
    for line in lines or ["no API keys"]:
        print(line)
    return 0
