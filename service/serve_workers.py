"""`serve --workers N`: N uvicorn processes, each accepting on its own SO_REUSEPORT socket.

Why not uvicorn's `--workers`: its workers share one listening socket, and the first one awake
accepts every pending connection. Under a few keep-alive connections (a load balancer's pool,
a benchmark's clients) one worker took them all while the other idled: at 4 connections,
scoring ran at one process's speed in most runs (docs/benchmarks.md). With a socket per worker
and SO_REUSEPORT, Linux spreads new connections over the workers by a hash of their addresses.

Beside the API workers runs one worker process (`service.worker.cli.work`, the loop of
`connect-risk worker`) that files webhook events and sends planned actions for all of them,
instead of a worker thread in every API process. Under wrk (docs/benchmarks.md) that thread
held the interpreter a sixth of an API process's time; in a process of its own it takes none
of the API's, and its claims gather the work of every API process.

This supervisor starts the processes, starts another when one dies after it started, stops
everything (exit 1) when one cannot start, and on SIGINT or SIGTERM stops them gracefully.
Elsewhere than Linux (no balancing SO_REUSEPORT) `serve` keeps uvicorn's workers. A process
that dies takes the connections still queued at its socket with it, unless the host sets
net.ipv4.tcp_migrate_req=1 (docs/configuration.md).

Either way the workers share a fresh Prometheus directory (`shared_metrics`), so /metrics
answers for all of them whichever one a scrape reaches.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType

from prometheus_client.multiprocess import mark_process_dead

from service.api.metrics import MULTIPROCESS_DIR

logger = logging.getLogger(__name__)

# uvicorn's exit code for a server that could not start (settings, lifespan failure).
STARTUP_FAILURE = 3
# How long a worker may take to finish its requests after SIGTERM before it is killed.
GRACE_SECONDS = 30.0


@dataclass(frozen=True)
class ServeOptions:
    """What every worker serves with (pickled into each spawned process)."""

    app: str  # the app factory's import string
    host: str
    port: int
    log_level: str
    # One worker process files events and sends actions for every API process (else nothing
    # does: `serve --no-worker` leaves that to `connect-risk worker` processes).
    background_worker: bool = True


def balanced_workers_supported() -> bool:
    """Whether the kernel balances connections over SO_REUSEPORT sockets (Linux does)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


@contextlib.contextmanager
def shared_metrics() -> Iterator[Path]:
    """A fresh directory for the workers' metric values, named in the environment the workers
    inherit (see service.api.metrics); removed afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="connect-risk-metrics-"))
    os.environ[MULTIPROCESS_DIR] = str(directory)
    try:
        yield directory
    finally:
        os.environ.pop(MULTIPROCESS_DIR, None)
        shutil.rmtree(directory, ignore_errors=True)


def run_workers(options: ServeOptions, workers: int) -> int:
    """Serve with `workers` API processes (and the worker process) until SIGINT or SIGTERM;
    0, or 1 if one failed to start."""
    context = multiprocessing.get_context("spawn")
    stopping = threading.Event()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    targets = [_serve_one] * workers + ([_work_one] if options.background_worker else [])
    processes = [_start(context, target, options) for target in targets]
    status = 0
    while not stopping.wait(0.5):
        for index, process in enumerate(processes):
            if process.is_alive():
                continue
            if process.exitcode == STARTUP_FAILURE:
                logger.error("%s could not start; stopping the others", process.name)
                status = 1
                stopping.set()
                break
            logger.error(
                "%s %s exited (%s); starting another", process.name, process.pid, process.exitcode
            )
            _forget(process)
            processes[index] = _start(context, targets[index], options)
    _stop_all(processes)
    return status


def _start(
    context: multiprocessing.context.SpawnContext,
    target: Callable[[ServeOptions], None],
    options: ServeOptions,
) -> BaseProcess:
    name = "connect-risk-worker" if target is _work_one else "connect-risk-api"
    process = context.Process(target=target, args=(options,), name=name)
    process.start()
    return process


def _stop_all(processes: list[BaseProcess]) -> None:
    for process in processes:
        if process.is_alive() and process.pid is not None:
            # SIGTERM, not SIGINT: uvicorn takes a second SIGINT as "exit without waiting".
            os.kill(process.pid, signal.SIGTERM)
    for process in processes:
        process.join(GRACE_SECONDS)
        if process.is_alive():
            logger.error("worker %s did not stop in %.0f s; killing it", process.pid, GRACE_SECONDS)
            process.kill()
            process.join()
        _forget(process)


def _forget(process: BaseProcess) -> None:
    """Drop a dead worker from the gauges that count live processes only."""
    if process.pid is not None and os.environ.get(MULTIPROCESS_DIR):
        mark_process_dead(process.pid)  # type: ignore[no-untyped-call]


def _serve_one(options: ServeOptions) -> None:
    """One API process: bind its own socket to the shared address and serve the app."""
    import uvicorn

    if options.background_worker:
        # Read by the app factory: the worker process does this process's background work.
        os.environ["CONNECT_RISK_INPROCESS_WORKER"] = "false"
    family = socket.AF_INET6 if ":" in options.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((options.host, options.port))
    except OSError as exc:
        host, port = options.host, options.port
        logging.getLogger("uvicorn.error").error("cannot bind %s:%s: %s", host, port, exc)
        sys.exit(STARTUP_FAILURE)
    config = uvicorn.Config(
        options.app,
        factory=True,
        # Our own access log names route templates, never paths (they hold account ids).
        access_log=False,
        log_level=options.log_level.lower(),
        log_config=None,
    )
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
    if not server.started:
        sys.exit(STARTUP_FAILURE)


def _work_one(options: ServeOptions) -> None:
    """The worker process: the loop of `connect-risk worker` until SIGTERM or SIGINT."""
    from service.serve_cli import configure_logging
    from service.settings import load_settings
    from service.worker.cli import WorkOptions, work

    settings = load_settings()  # `serve` checked them before starting any process
    configure_logging(options.log_level)
    status = work(settings, WorkOptions())
    # 2 is a policy the loop cannot run with: as fatal as an API process that cannot start.
    sys.exit(STARTUP_FAILURE if status == 2 else status)
