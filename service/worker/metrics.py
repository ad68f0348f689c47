"""What the worker loop tells Prometheus: events and actions by outcome, and that it is alive.

The API's `Metrics` holds one `WorkerMetrics` in its registry, so an in-process worker shows in
the app's /metrics. The worker process of `serve --workers N` builds its own: under the shared
PROMETHEUS_MULTIPROC_DIR its values reach every API process's scrape.
"""

from __future__ import annotations

import dataclasses

from prometheus_client import CollectorRegistry, Counter, Gauge

from service.worker.dispatch import DispatchResult
from service.worker.worker import BatchResult

_EVENT_OUTCOMES = tuple(field.name for field in dataclasses.fields(BatchResult))
_ACTION_OUTCOMES = tuple(field.name for field in dataclasses.fields(DispatchResult))


def decisions_counter(registry: CollectorRegistry) -> Counter:
    """Decisions recorded, by risk band: the API counts its scores, a worker its rescores."""
    return Counter(
        "connect_risk_decisions",
        "Decisions recorded, by risk band: scores asked for over the API and rescores after "
        "Stripe events.",
        ["band"],
        registry=registry,
    )


class WorkerMetrics:
    """Counters a worker loop updates after each batch and decision, and its heartbeat."""

    def __init__(self, registry: CollectorRegistry, *, decisions: Counter | None = None) -> None:
        """`decisions`: the registry's decision counter, when the API process already made it
        (an in-process worker); otherwise the worker makes its own."""
        self.registry = registry
        self.decisions = decisions if decisions is not None else decisions_counter(registry)
        self.events = Counter(
            "connect_risk_webhook_events",
            "Webhook events a worker finished, by outcome (done, ignored, retrying, dead, or "
            "lost: another worker took over the lease).",
            ["outcome"],
            registry=registry,
        )
        self.actions = Counter(
            "connect_risk_stripe_actions",
            "Planned Stripe actions a dispatcher settled, by outcome (applied, skipped, "
            "retrying, failed, or lost).",
            ["outcome"],
            registry=registry,
        )
        self.last_poll = Gauge(
            "connect_risk_worker_last_poll_timestamp_seconds",
            "When a worker loop last polled the inbox and the outbox without a failure (Unix "
            "time; alert when it falls behind the clock).",
            registry=registry,
            multiprocess_mode="livemax",
        )
        # Every outcome exported from the start, at 0, so rates and alerts have a series.
        for outcome in _EVENT_OUTCOMES:
            self.events.labels(outcome=outcome)
        for outcome in _ACTION_OUTCOMES:
            self.actions.labels(outcome=outcome)

    def observe_events(self, result: BatchResult) -> None:
        """Count how the events of one batch ended."""
        for outcome in _EVENT_OUTCOMES:
            count = getattr(result, outcome)
            if count:
                self.events.labels(outcome=outcome).inc(count)

    def observe_actions(self, result: DispatchResult) -> None:
        """Count how the actions of one batch ended."""
        for outcome in _ACTION_OUTCOMES:
            count = getattr(result, outcome)
            if count:
                self.actions.labels(outcome=outcome).inc(count)

    def count_decision(self, band: str) -> None:
        """Count one decision a rescore recorded."""
        self.decisions.labels(band=band).inc()

    def polled(self) -> None:
        """Mark a pass of the loop in which every step succeeded."""
        self.last_poll.set_to_current_time()
