"""The worker loop: outcomes counted per batch, a heartbeat per pass, backoff while it fails."""

from __future__ import annotations

import threading
import time

import pytest
from prometheus_client import CollectorRegistry
from worker_support import RecordingRescorer, event, inbox_row, inject, payout, unique

from service.db.database import Database
from service.worker.dispatch import DispatchResult
from service.worker.metrics import WorkerMetrics
from service.worker.runner import run_until_stopped
from service.worker.worker import Worker


def count(registry: CollectorRegistry, name: str, outcome: str) -> float | None:
    return registry.get_sample_value(f"{name}_total", {"outcome": outcome})


def test_every_outcome_is_exported_at_zero_before_any_batch() -> None:
    registry = CollectorRegistry()
    WorkerMetrics(registry)
    for outcome in ("done", "ignored", "retrying", "dead", "lost"):
        assert count(registry, "connect_risk_webhook_events", outcome) == 0.0
    for outcome in ("applied", "skipped", "retrying", "failed", "lost"):
        assert count(registry, "connect_risk_stripe_actions", outcome) == 0.0


def test_actions_are_counted_by_outcome() -> None:
    registry = CollectorRegistry()
    metrics = WorkerMetrics(registry)
    metrics.observe_actions(DispatchResult(applied=2, skipped=1))
    metrics.observe_actions(DispatchResult(applied=1, failed=1))
    counted = {
        outcome: count(registry, "connect_risk_stripe_actions", outcome)
        for outcome in ("applied", "skipped", "retrying", "failed", "lost")
    }
    assert counted == {"applied": 3.0, "skipped": 1.0, "retrying": 0.0, "failed": 1.0, "lost": 0.0}


def test_the_loop_counts_its_events_and_marks_each_pass(
    database: Database, rescorer: RecordingRescorer
) -> None:
    connected = [event("payout.failed", payout(), created=1, account=unique("acct")) for _ in "abc"]
    platform_own = event("payout.failed", payout(), created=1)  # no `account`: not a provider's
    inject(database, [*connected, platform_own])
    registry = CollectorRegistry()
    metrics = WorkerMetrics(registry)
    stop = threading.Event()
    started = time.time()
    loop = threading.Thread(
        target=run_until_stopped,
        args=(Worker(database=database, rescorer=rescorer), stop),
        kwargs={"batch": 2, "poll_seconds": 0.05, "metrics": metrics},
    )
    loop.start()
    try:
        deadline = time.monotonic() + 30
        while (count(registry, "connect_risk_webhook_events", "done") or 0) < 3:
            assert time.monotonic() < deadline, "the loop did not file the events"
            time.sleep(0.05)
        time.sleep(0.2)  # a few idle passes
    finally:
        stop.set()
        loop.join(10)
    events = {
        outcome: count(registry, "connect_risk_webhook_events", outcome)
        for outcome in ("done", "ignored", "retrying", "dead", "lost")
    }
    assert events == {"done": 3.0, "ignored": 1.0, "retrying": 0.0, "dead": 0.0, "lost": 0.0}
    last_poll = registry.get_sample_value("connect_risk_worker_last_poll_timestamp_seconds")
    assert last_poll is not None and started <= last_poll <= time.time()


def test_a_loop_that_cannot_reach_its_database_shows_no_sign_of_life(
    rescorer: RecordingRescorer,
) -> None:
    unreachable = Database.connect("postgresql+psycopg://postgres@127.0.0.1:1/none")
    registry = CollectorRegistry()
    stop = threading.Event()
    loop = threading.Thread(
        target=run_until_stopped,
        args=(Worker(database=unreachable, rescorer=rescorer), stop),
        kwargs={"poll_seconds": 0.05, "metrics": WorkerMetrics(registry)},
    )
    loop.start()
    time.sleep(0.5)  # several failed passes
    stop.set()
    loop.join(10)
    unreachable.dispose()
    assert registry.get_sample_value("connect_risk_worker_last_poll_timestamp_seconds") == 0.0


def test_a_database_outage_is_waited_out_with_backoff_and_few_log_lines(
    rescorer: RecordingRescorer, caplog: pytest.LogCaptureFixture
) -> None:
    unreachable = Database.connect("postgresql+psycopg://postgres@127.0.0.1:1/none")
    stop = threading.Event()
    loop = threading.Thread(
        target=run_until_stopped,
        args=(Worker(database=unreachable, rescorer=rescorer), stop),
        kwargs={"poll_seconds": 0.01},
    )
    with caplog.at_level("WARNING", logger="service.worker.runner"):
        loop.start()
        time.sleep(2.0)  # without backoff: a pass, and a warning, every 10 ms
        stop.set()
        loop.join(10)
    unreachable.dispose()
    warnings = [r for r in caplog.records if "database unreachable" in r.getMessage()]
    assert 1 <= len(warnings) <= 6


def test_events_wait_unclaimed_until_the_loop_is_ready(
    database: Database, rescorer: RecordingRescorer
) -> None:
    # Rescores need the account network; until it is built, events wait without an attempt.
    waiting = event("payout.failed", payout(), created=1, account=unique("acct"))
    inject(database, [waiting])
    ready = threading.Event()
    stop = threading.Event()
    loop = threading.Thread(
        target=run_until_stopped,
        args=(Worker(database=database, rescorer=rescorer), stop),
        kwargs={"poll_seconds": 0.05, "ready": ready.is_set},
    )
    loop.start()
    try:
        time.sleep(0.5)  # ten passes
        assert (inbox_row(database, waiting["id"]).status, rescorer.calls) == ("received", [])
        ready.set()
        deadline = time.monotonic() + 30
        while inbox_row(database, waiting["id"]).status == "received":
            assert time.monotonic() < deadline, "the event was never filed"
            time.sleep(0.05)
    finally:
        stop.set()
        loop.join(10)
    row = inbox_row(database, waiting["id"])
    assert (row.status, row.attempts) == ("done", 1)
