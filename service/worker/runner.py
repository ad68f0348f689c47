"""Run a worker until told to stop: a polling loop, and the in-process thread `serve` starts."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI

from service.db.database import UNREACHABLE
from service.errors import StoreUnavailable
from service.log_safety import failure_without_message
from service.worker import DEFAULT_BATCH, DEFAULT_POLL_SECONDS
from service.worker.dispatch import Dispatcher
from service.worker.metrics import WorkerMetrics
from service.worker.rescorer import NoRescore, Rescorer
from service.worker.worker import Worker

logger = logging.getLogger(__name__)

# The longest wait between passes that fail: recovery follows an outage within seconds.
MAX_BACKOFF_SECONDS = 5.0


def run_until_stopped(
    worker: Worker,
    stop: threading.Event,
    *,
    dispatcher: Dispatcher | None = None,
    batch: int = DEFAULT_BATCH,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
    metrics: WorkerMetrics | None = None,
    ready: Callable[[], bool] | None = None,
) -> None:
    """File events and send their actions until `stop` is set; sleep `poll_seconds` unless
    the inbox or the outbox filled a whole batch (then more is waiting). While `ready()` is
    false (the network rescores need is not built yet) events wait unclaimed; actions still go.

    Waiting after a partial batch lets work gather under steady traffic: one claim, one
    supersession check and one commit then serve a batch instead of a decision or two,
    which is what keeps an in-process worker from taking the API's CPU.

    A stop request lets the current batch finish (each event and each action commits on its
    own), so SIGTERM never leaves half-applied work; an unfinished lease would simply expire.
    A database that is down, or any other failed batch, is waited out with a growing pause
    (at most MAX_BACKOFF_SECONDS), logging the first failures and then fewer, not fatal. With
    `metrics`, each batch's outcomes are counted and each pass without a failure marks the
    loop alive.
    """

    def file_events(n: int) -> int:
        if ready is not None and not ready():
            return 0
        result = worker.run_once(n)
        if metrics is not None:
            metrics.observe_events(result)
        return result.claimed

    def send_actions(n: int) -> int:
        assert dispatcher is not None
        result = dispatcher.run_once(n)
        if metrics is not None:
            metrics.observe_actions(result)
        return result.claimed

    steps: list[Callable[[int], int]] = [file_events]
    if dispatcher is not None:
        steps.append(send_actions)
    failing = 0  # passes in a row with a failed step
    while not stop.is_set():
        claimed = [_guarded(step, batch, quiet=_quiet(failing)) for step in steps]
        if min(claimed) >= 0:
            if failing:
                logger.info("worker: working again after %d failed passes", failing)
            failing = 0
            if metrics is not None:  # a failed step is no sign of life
                metrics.polled()
        else:
            failing += 1
        if failing:
            # Back off while the database (or anything else) keeps failing: 0.5 s, 1 s … 5 s.
            stop.wait(min(MAX_BACKOFF_SECONDS, poll_seconds * 2.0 ** min(failing, 10)))
        elif max(claimed) < batch:
            stop.wait(poll_seconds)
    if dispatcher is not None:
        dispatcher.close()


def _quiet(failing: int) -> bool:
    """Whether to leave a failure of this pass unlogged: after the first few, only every
    power of two, so a long outage logs a few dozen lines, not four a second."""
    return failing >= 3 and failing & (failing - 1) != 0


def _guarded(step: Callable[[int], int], batch: int, *, quiet: bool = False) -> int:
    """Run one step; a failure counts as idle (-1) so the loop waits before trying again."""
    try:
        return step(batch)
    except (StoreUnavailable, *UNREACHABLE) as exc:
        if not quiet:
            logger.warning("worker: database unreachable (%s); retrying", type(exc).__name__)
    except Exception as exc:
        # Keep the loop alive: the work of a failed batch comes back when its leases end.
        if not quiet:
            logger.error("worker: batch failed; retrying: %s", failure_without_message(exc))
    return -1


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
    dispatcher: Dispatcher | None = None,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
    metrics: WorkerMetrics | None = None,
    ready: Callable[[], bool] | None = None,
) -> InprocessWorker:
    """Start one worker thread on `app.state.database` (call inside the lifespan, after it is set).

    The embedded deployment needs no second process; deployments with separate
    `connect-risk worker` processes start the API without it. Without a dispatcher, actions
    are planned but left for another process to send.
    """
    worker = Worker(database=app.state.database, rescorer=rescorer or NoRescore())
    stop = threading.Event()
    thread = threading.Thread(
        target=run_until_stopped,
        args=(worker, stop),
        kwargs={
            "poll_seconds": poll_seconds,
            "dispatcher": dispatcher,
            "metrics": metrics,
            "ready": ready,
        },
        name="inbox-worker",
        daemon=True,
    )
    thread.start()
    return InprocessWorker(thread=thread, stop_event=stop)
