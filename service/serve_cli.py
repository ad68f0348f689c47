"""`connect-risk serve`: run the scoring API with uvicorn on the settings in the environment."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import TYPE_CHECKING, Any

from training.cli_args import port_number, positive_int

if TYPE_CHECKING:
    from fastapi import FastAPI

    from service.settings import Settings

# The service stack (FastAPI, SQLAlchemy, uvicorn) is imported when `serve` runs, not when the
# CLI starts, so every other subcommand and --help stay quick.

logger = logging.getLogger(__name__)

APP_FACTORY = "service.serve_cli:app_from_environment"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the `serve` subcommand and set its handler."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="serve the scoring API",
        description="Serve the scoring API on the state in var/ (or DATABASE_URL and "
        "MLFLOW_TRACKING_URI). Settings come from the environment; see docs/configuration.md.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=port_number, default=8000, help="port to bind (default 8000)"
    )
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        help="API processes (default 1); from 2 on (Linux), webhook events and planned actions "
        "are handled by one more process instead of a thread in each",
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="do not process webhook events in the API process (run `connect-risk worker` "
        "instead); same as CONNECT_RISK_INPROCESS_WORKER=false",
    )
    parser.set_defaults(handler=run)
    return parser


# Libraries whose INFO records quote request URLs or Stripe's error messages, which name
# accounts and can repeat their data; only their warnings and errors are kept.
QUIET_LIBRARIES = ("stripe",)


def configure_logging(level: str) -> None:
    """Plain, single-line log records on stderr at `level` (libraries that would log account
    data at INFO stay at WARNING)."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))


def app_from_environment() -> FastAPI:
    """The app factory uvicorn calls in each worker: settings from the environment."""
    from service.app import create_app
    from service.settings import load_settings

    settings = load_settings()
    configure_logging(settings.log_level)
    return create_app(settings, owns_process=True)


def prepare(settings: Settings) -> None:
    """Work done once before workers start, so they do not race: the pepper file, migrations;
    and the policy, checked before anything serves with it."""
    from service.auth.pepper import resolve_pepper
    from service.db.database import Database
    from service.domain.policy_errors import PolicyError
    from service.domain.policy_yaml import load_configured_policy
    from service.errors import ConfigurationError, StoreUnavailable

    try:
        load_configured_policy(settings.policy_path)
    except PolicyError as exc:
        raise ConfigurationError(f"policy {exc}") from exc
    resolve_pepper(settings)
    database = Database.connect(settings.database_url)
    try:
        database.ensure_schema()
    except StoreUnavailable:
        logger.warning("database unreachable; the API will answer 503 until it is back")
    finally:
        database.dispose()


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; exit 2 for settings the service cannot run with."""
    from service.errors import ConfigurationError
    from service.serve_workers import (
        ServeOptions,
        balanced_workers_supported,
        run_workers,
        shared_metrics,
    )
    from service.settings import load_settings

    if args.no_worker:
        # Read by the app factory in every uvicorn worker process.
        os.environ["CONNECT_RISK_INPROCESS_WORKER"] = "false"
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        prepare(settings)
    except ConfigurationError as exc:
        sys.stderr.write(f"serve: {exc}\n")
        return 2
    if args.workers == 1:
        return _serve_here(args, settings)
    with shared_metrics():
        if balanced_workers_supported():
            options = ServeOptions(
                APP_FACTORY,
                args.host,
                args.port,
                settings.log_level,
                background_worker=settings.inprocess_worker,
            )
            return run_workers(options, args.workers)
        return _serve_here(args, settings)


def _serve_here(args: argparse.Namespace, settings: Settings) -> int:
    """uvicorn in this process (one worker), or with uvicorn's own workers."""
    import uvicorn

    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        # Our own access log names route templates, never paths (they hold account ids).
        access_log=False,
        log_level=settings.log_level.lower(),
        log_config=None,
        # Each spawned worker re-imports the `connect-risk` script (mlflow included) before it
        # can answer uvicorn's health ping; on a busy machine that exceeds the 5 s default and
        # the workers were killed and respawned forever.
        timeout_worker_healthcheck=60,
    )
    return 0
