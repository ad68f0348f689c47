"""Run a worker until told to stop: a polling loop, and the in-process thread `serve` starts."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from fastapi import FastAPI

from service.db.database import UNREACHABLE
from service.errors import StoreUnavailable
from service.worker.rescorer import NoRescore, Rescorer
from service.worker.worker import Worker

logger = logging.getLogger(__name__)

DEFAULT_POLL_SECONDS = 1.0
DEFAULT_BATCH = 20


def run_until_stopped(
    worker: Worker,
    stop: threading.Event,
    *,
    batch: int = DEFAULT_BATCH,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
) -> None:
    """Process batches until `stop` is set; sleep `poll_seconds` when the inbox is empty.

    A stop request lets the current batch finish (each event commits on its own), so SIGTERM
    never leaves half-applied work; an unfinished lease would simply expire. A database that
    is down, or any other failed batch, is waited out, not fatal.
    """
    while not stop.is_set():
        try:
            result = worker.run_once(batch)
        except (StoreUnavailable, *UNREACHABLE) as exc:
            logger.warning("worker: database unreachable (%s); retrying", type(exc).__name__)
            stop.wait(poll_seconds)
            continue
        except Exception as exc:
            # Keep the loop alive: the events of a failed batch come back when their leases end.
            logger.exception("worker: batch failed (%s); retrying", type(exc).__name__)
            stop.wait(poll_seconds)
            continue
        if result.claimed == 0:
            stop.wait(poll_seconds)


@dataclass
class InprocessWorker:
    """A worker thread inside the API process; `stop()` ends it after its current batch."""

    thread: threading.Thread
    stop_event: threading.Event

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the worker to stop and wait for it (at most `timeout` seconds)."""
        self.stop_event.set()
        self.thread.join(timeout)


def start_inprocess_worker(
    app: FastAPI,
    *,
    rescorer: Rescorer | None = None,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
) -> InprocessWorker:
    """Start one worker thread on `app.state.database` (call inside the lifespan, after it is set).

    The embedded deployment needs no second process; deployments with separate
    `connect-risk worker` processes start the API without it.
    """
    worker = Worker(database=app.state.database, rescorer=rescorer or NoRescore())
    stop = threading.Event()
    thread = threading.Thread(
        target=run_until_stopped,
        args=(worker, stop),
        kwargs={"poll_seconds": poll_seconds},
        name="inbox-worker",
        daemon=True,
    )
    thread.start()
    return InprocessWorker(thread=thread, stop_event=stop)
