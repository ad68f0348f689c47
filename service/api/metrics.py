"""Prometheus metrics in a registry of the app's own, so several apps can share a process.

Under `serve --workers N` every process writes its values to files in PROMETHEUS_MULTIPROC_DIR
(set by the supervisor, `service.serve_workers`), and a scrape, whichever API process answers
it, renders all of them: counters and histograms summed over the processes, the state gauges as
the latest any live process measured, and the process_* figures of each live process, labelled
by pid. One process alone (tests, `--workers 1`) renders its own registry, with its process_*
figures.
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Iterator
from pathlib import Path

from prometheus_client import (
    CollectorRegistry,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from service.api.model_status import ModelStatus
from service.db.database import UNREACHABLE, Database
from service.db.repositories.action_dispatch import count_unsent_actions
from service.db.repositories.inbox import count_pending_events
from service.db.repositories.reviews import count_open_reviews
from service.errors import StoreUnavailable
from service.worker.metrics import WorkerMetrics, decisions_counter

# Where the workers of one `serve` write their values (prometheus_client's own variable).
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """Every metric the service exports; routes and workers update them, /metrics renders them."""

    def __init__(self, *, worker: bool = True) -> None:
        """`worker`: this process runs the worker loop, so it exports the loop's figures (an
        API replica without one would export a heartbeat that never beats)."""
        self.registry = CollectorRegistry(auto_describe=True)
        self._shared = os.environ.get(MULTIPROCESS_DIR) is not None
        if not self._shared:
            # CPU, memory, open files and start time of this process (Linux; nothing elsewhere).
            ProcessCollector(registry=self.registry)
        Gauge(
            "connect_risk_process_info",
            "Server processes alive (one series per process id).",
            ["pid"],
            registry=self.registry,
            multiprocess_mode="liveall",
        ).labels(pid=str(os.getpid())).set(1)
        self._model_version: str | None = None
        self.request_duration = Histogram(
            "connect_risk_http_request_duration_seconds",
            "HTTP request latency by method, route template and status code.",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.decisions = decisions_counter(self.registry)
        self.model_info = Gauge(
            "connect_risk_model_info",
            "The champion model being served (1 for the loaded version).",
            ["version"],
            registry=self.registry,
            # During a hot swap, workers may briefly serve different versions: both show 1.
            multiprocess_mode="livemax",
        )
        self.inbox_depth = Gauge(
            "connect_risk_inbox_depth",
            "Webhook events received or being processed (NaN when the database is unreachable).",
            registry=self.registry,
            multiprocess_mode="livemostrecent",
        )
        self.outbox_depth = Gauge(
            "connect_risk_outbox_depth",
            "Stripe actions not yet sent: planned, or failed with a retry to come (NaN when the "
            "database is unreachable).",
            registry=self.registry,
            multiprocess_mode="livemostrecent",
        )
        self.review_queue_depth = Gauge(
            "connect_risk_review_queue_depth",
            "Reviews waiting for a human (NaN when the database is unreachable).",
            registry=self.registry,
            multiprocess_mode="livemostrecent",
        )
        self.worker = WorkerMetrics(self.registry, decisions=self.decisions) if worker else None
        self.database_up = Gauge(
            "connect_risk_database_up",
            "1 if the database answered the last scrape, 0 otherwise.",
            registry=self.registry,
            multiprocess_mode="livemostrecent",
        )

    def scrape(self, *, database: Database, model_status: ModelStatus) -> bytes:
        """Refresh the state gauges from the database and the model, then render everything.

        Scraping never fails because the database is down: that shows as
        `connect_risk_database_up 0` and NaN depths.
        """
        version = (model_status.version or "unknown") if model_status.ready else None
        if self._model_version not in (None, version):
            # Set to 0, not removed: a worker's file keeps every series it ever wrote.
            self.model_info.labels(version=self._model_version).set(0)
        if version is not None:
            self.model_info.labels(version=version).set(1)
        self._model_version = version
        try:
            with database.session() as session:
                inbox = count_pending_events(session=session)
                outbox = count_unsent_actions(session=session)
                reviews = count_open_reviews(session=session)
        except (StoreUnavailable, *UNREACHABLE):
            self.database_up.set(0)
            self.inbox_depth.set(math.nan)
            self.outbox_depth.set(math.nan)
            self.review_queue_depth.set(math.nan)
        else:
            self.database_up.set(1)
            self.inbox_depth.set(inbox)
            self.outbox_depth.set(outbox)
            self.review_queue_depth.set(reviews)
        if not self._shared:
            return generate_latest(self.registry)
        every_worker = CollectorRegistry()
        MultiProcessCollector(every_worker)  # type: ignore[no-untyped-call]
        every_worker.register(LiveProcesses(Path(os.environ[MULTIPROCESS_DIR])))
        return generate_latest(every_worker)


class LiveProcesses(Collector):
    """process_* series (CPU, memory, open files) of every live process sharing a metrics
    directory, each labelled with its pid: what one process's ProcessCollector shows for
    itself, for all of `serve --workers N`'s processes from whichever one is scraped."""

    # prometheus_client names each process's live gauge files `gauge_live<mode>_<pid>.db`
    # and deletes them when the supervisor marks the process dead.
    _LIVE_FILE = re.compile(r"gauge_live[a-z]+_(\d+)\.db")

    def __init__(self, directory: Path) -> None:
        self._directory = directory

    def collect(self) -> Iterator[Metric]:
        """One family per process_* name, one sample per live process (Linux /proc)."""
        families: dict[str, Metric] = {}
        for pid in sorted(self._live_pids()):
            of_pid = ProcessCollector(pid=functools.partial(str, pid), registry=None)
            for family in of_pid.collect():
                merged = families.setdefault(
                    family.name, Metric(family.name, family.documentation, family.type)
                )
                for sample in family.samples:
                    labels = {**sample.labels, "pid": str(pid)}
                    merged.add_sample(sample.name, labels, sample.value)
        yield from families.values()

    def _live_pids(self) -> set[int]:
        found = (self._LIVE_FILE.fullmatch(path.name) for path in self._directory.iterdir())
        return {int(match.group(1)) for match in found if match}
