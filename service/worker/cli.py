"""`connect-risk worker`: process the webhook inbox in a process of its own until SIGTERM."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.worker import DEFAULT_BATCH, DEFAULT_POLL_SECONDS
from training.cli_args import port_number, positive_float, positive_int

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from service.settings import Settings
    from service.worker.metrics import WorkerMetrics

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkOptions:
    """How a worker loop claims its work (the `worker` subcommand's options)."""

    batch: int = DEFAULT_BATCH
    poll_seconds: float = DEFAULT_POLL_SECONDS
    lease_seconds: float = 60.0
    once: bool = False
    # Serve /metrics on this port (a standalone worker); None: `serve`'s worker process, whose
    # metrics its API processes export, or no metrics at all.
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the `worker` subcommand and set its handler."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "worker",
        help="process stored Stripe webhook events",
        description="Claim events from the webhook inbox (DATABASE_URL), rescore the accounts "
        "they change with the champion model, and send the planned actions to Stripe "
        "(STRIPE_API_KEY; dry-run without). Any number of workers may run at once; SIGTERM "
        "stops after the current batch.",
    )
    parser.add_argument("--once", action="store_true", help="process one batch, then exit")
    parser.add_argument(
        "--requeue-dead",
        action="store_true",
        help="give every dead-lettered event a fresh set of attempts, print how many, and exit",
    )
    parser.add_argument(
        "--retry-failed-actions",
        action="store_true",
        help="give every Stripe action that failed for good a fresh set of attempts (a "
        "running worker sends them), print how many, and exit",
    )
    parser.add_argument(
        "--batch",
        type=positive_int,
        default=WorkOptions.batch,
        help=f"events per claim (default {WorkOptions.batch})",
    )
    parser.add_argument(
        "--poll-seconds",
        type=positive_float,
        default=WorkOptions.poll_seconds,
        help="wait between polls of an empty inbox and outbox "
        f"(default {WorkOptions.poll_seconds})",
    )
    parser.add_argument(
        "--lease-seconds",
        type=positive_float,
        default=WorkOptions.lease_seconds,
        help="how long a claimed event or action stays with this worker before others may "
        "take it over (default %(default)s)",
    )
    parser.add_argument(
        "--metrics-port",
        type=port_number,
        default=None,
        help="serve Prometheus metrics (events and actions by outcome, the last poll, the "
        "process's CPU and memory) on this port; default: none",
    )
    parser.add_argument(
        "--metrics-host",
        default=WorkOptions.metrics_host,
        help="the address --metrics-port listens on (default %(default)s)",
    )
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the worker; exit 2 for settings it cannot run with, 1 if the database is down."""
    from service.errors import ConfigurationError
    from service.serve_cli import configure_logging
    from service.settings import load_settings

    try:
        settings = load_settings()
    except ConfigurationError as exc:
        sys.stderr.write(f"worker: {exc}\n")
        return 2
    configure_logging(settings.log_level)
    if args.requeue_dead:
        return _requeue_dead(settings.database_url)
    if args.retry_failed_actions:
        return _retry_failed_actions(settings.database_url)
    options = WorkOptions(
        batch=args.batch,
        poll_seconds=args.poll_seconds,
        lease_seconds=args.lease_seconds,
        once=args.once,
        metrics_port=args.metrics_port,
        metrics_host=args.metrics_host,
    )
    return work(settings, options)


def work(settings: Settings, options: WorkOptions) -> int:
    """File webhook events and send planned actions until SIGTERM or SIGINT (or one batch with
    `once`); the loop of `connect-risk worker` and of `serve --workers N`'s worker process.

    Returns 2 for a policy it cannot run with, 1 if the database is down for a single batch.
    """
    from prometheus_client import CollectorRegistry

    from service.db.database import Database
    from service.domain.policy_errors import PolicyError
    from service.errors import StoreUnavailable
    from service.scoring.network import NetworkCache
    from service.scoring.store import ModelStore
    from service.worker.metrics import WorkerMetrics
    from service.worker.runner import run_until_stopped
    from service.worker.wiring import build_stripe_loop
    from service.worker.worker import Worker

    metrics = WorkerMetrics(CollectorRegistry())
    models = ModelStore.start(settings)
    database = Database.connect(settings.database_url)
    database.checkpoint_in_background()
    network = NetworkCache(database, settings.network_refresh_seconds).start()
    try:
        lease = dt.timedelta(seconds=options.lease_seconds)
        loop = build_stripe_loop(
            settings,
            database,
            models.champion,
            network=network,
            shadow=models.current_shadow,
            lease=lease,
            on_decision=metrics.count_decision,
        )
    except PolicyError as exc:
        sys.stderr.write(f"worker: {exc}\n")
        network.stop()
        models.stop()
        database.dispose()
        return 2
    worker = Worker(
        database=database,
        rescorer=loop.rescorer,
        lease=lease,
    )
    try:
        if options.once:
            result = worker.run_once(options.batch)
            sent = loop.dispatcher.run_once(options.batch)
            logger.info("worker: one batch, %s; actions %s", result, sent)
            return 0
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        with _metrics_endpoint(options, metrics):
            logger.info("worker %s started", worker.name)
            run_until_stopped(
                worker,
                stop,
                dispatcher=loop.dispatcher,
                batch=options.batch,
                poll_seconds=options.poll_seconds,
                metrics=metrics,
                ready=network.is_ready,
            )
        logger.info("worker %s stopped", worker.name)
        return 0
    except StoreUnavailable as exc:
        sys.stderr.write(f"worker: {exc}\n")
        return 1
    finally:
        network.stop()
        models.stop()
        database.dispose()


@contextlib.contextmanager
def _metrics_endpoint(options: WorkOptions, metrics: WorkerMetrics) -> Iterator[None]:
    """The loop's metrics, served over HTTP while it runs when `options.metrics_port` is set.

    Without a port they are still counted: as `serve`'s worker process, in the shared
    PROMETHEUS_MULTIPROC_DIR that its API processes export.
    """
    from prometheus_client import ProcessCollector, start_http_server

    registry = metrics.registry
    if options.metrics_port is None:
        yield
        return
    ProcessCollector(registry=registry)
    server, thread = start_http_server(
        options.metrics_port, addr=options.metrics_host, registry=registry
    )
    logger.info("worker metrics on http://%s:%d/metrics", options.metrics_host, server.server_port)
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _requeue_dead(database_url: str) -> int:
    from service.db.repositories.inbox import requeue_dead_events

    return _requeue(
        database_url,
        lambda session: f"{requeue_dead_events(session=session)} dead event(s) requeued",
    )


def _retry_failed_actions(database_url: str) -> int:
    from service.db.base import utcnow
    from service.db.repositories.action_dispatch import retry_failed_actions

    def retry(session: Session) -> str:
        done = retry_failed_actions(session=session, now=utcnow())
        report = f"{done.retried} failed action(s) will be tried again"
        if done.refused:
            report += (
                f"\n{done.refused} action(s) Stripe refused (not retryable) were left as they "
                "are; a later decision plans those settings afresh"
            )
        return report

    return _requeue(database_url, retry)


def _requeue(database_url: str, requeue: Callable[[Session], str]) -> int:
    """Run one requeue in its own transaction and print what it freed."""
    from service.db.database import Database
    from service.errors import StoreUnavailable

    database = Database.connect(database_url)
    try:
        with database.write_turn(), database.session() as session:
            report = requeue(session)
            session.commit()
    except StoreUnavailable as exc:
        sys.stderr.write(f"worker: {exc}\n")
        return 1
    finally:
        database.dispose()
    sys.stdout.write(f"{report}\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run `worker` on its own (`python -m service.worker`), without the full CLI."""
    parser = argparse.ArgumentParser(prog="connect-risk")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["worker", *(argv if argv is not None else sys.argv[1:])])
    return int(args.handler(args))
