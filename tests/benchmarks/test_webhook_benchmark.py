"""Webhook intake measured as Stripe would see it, on SQLite and PostgreSQL.

`connect-risk serve` runs as a process of its own (and once with `--workers 2` on SQLite, two
uvicorn processes sharing the file); a further process (webhook_load.py) sends
distinct, correctly signed events over many keep-alive connections at once. A delivery counts
when it was answered 200, which the service does only after the event's transaction committed
(on SQLite with `synchronous=FULL`); after each round the inbox must hold every event sent.

Figures, each the median of several rounds, next to baselines measured in the same run against
the same database: one repository insert and commit per event (`store_event`), on SQLite at
the engine's default `synchronous=NORMAL` and at `FULL`, the durability the acknowledgements
get. With the in-process worker off, the acknowledgements alone are measured; with it on
(SQLite), also the rate at which events are applied, from first delivery to an empty inbox
(no Stripe calls: payouts only record transactions).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path

import httpx
import pytest
from bench_postgres import postgres_schema
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.db.database import Database
from service.db.models import InboxEvent
from service.db.repositories.inbox import count_pending_events, store_event

SECRET = "whsec_benchmark_" + "b" * 16
LOAD = Path(__file__).with_name("webhook_load.py")
ROUNDS = 5
EVENTS_PER_ROUND = 2000
CONCURRENCY = 64
INSERTS_PER_ROUND = 300
# Applying is slower than acknowledging: fewer, smaller rounds keep `make bench` short.
WORKER_ROUNDS = 3
EVENTS_PER_WORKER_ROUND = 1000
START_TIMEOUT_S = 90.0
DRAIN_TIMEOUT_S = 300.0
_ids = count()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _serve(
    directory: Path, database_url: str, *, worker: bool, processes: int = 1
) -> Iterator[str]:
    """`connect-risk serve` in a process of its own, at the default log level."""
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CONNECT_RISK_", "STRIPE_"))},
        "DATABASE_URL": database_url,
        "MLFLOW_TRACKING_URI": f"sqlite:///{directory / 'mlflow.db'}",
        "STRIPE_WEBHOOK_SECRET": SECRET,
        "CONNECT_RISK_INPROCESS_WORKER": "true" if worker else "false",
        # Required off SQLite (replicas share it); any fixed value will do here.
        "CONNECT_RISK_API_KEY_PEPPER": "benchmark-pepper-" + "p" * 32,
    }
    command = [sys.executable, "-m", "service.cli", "serve", "--port", str(port)]
    command += ["--workers", str(processes)]
    with (directory / f"serve-{port}.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=directory, env=env, stdout=log, stderr=log)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                assert process.poll() is None, "the server exited; see its log"
                with contextlib.suppress(httpx.TransportError):
                    httpx.get(f"{url}/healthz", timeout=2)
                    break
                assert time.monotonic() < deadline, "the server did not start in time"
                time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            process.wait(30)


def _send(url: str, events: int, prefix: str) -> float:
    """Deliveries per second acknowledged by the server, measured by the load process."""
    command = [sys.executable, str(LOAD), url, SECRET, str(events), str(CONCURRENCY), prefix]
    result = subprocess.run(command, capture_output=True, check=True, timeout=600)
    report = json.loads(result.stdout)
    assert report["statuses"] == {"200": events}, report
    return events / float(report["elapsed"])


def _inbox_size(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(InboxEvent)) or 0)


def _inserts_per_second(database: Database, *, synchronous: str | None = None) -> float:
    """Median rate of one `store_event` and commit per event, as the route used to do.

    `synchronous` sets SQLite's pragma for the measurement (the engine default is NORMAL).
    """

    def set_synchronous(session: Session, value: str | None) -> None:
        if value is not None:
            session.connection().exec_driver_sql(f"PRAGMA synchronous={value}")

    def insert_one() -> None:
        event_id = f"evt_baseline_{next(_ids):08d}"
        with database.session() as session:
            set_synchronous(session, synchronous)
            store_event(
                session=session,
                event_id=event_id,
                event_type="payout.paid",
                event_created=int(time.time()),
                payload={"id": event_id, "object": "event", "type": "payout.paid"},
                account_id="acct_bench",
            )
            session.commit()
            set_synchronous(session, synchronous and "NORMAL")

    return _median_rate(insert_one, INSERTS_PER_ROUND)


def _median_rate(action: Callable[[], object], per_round: int) -> float:
    rates = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(per_round):
            action()
        rates.append(per_round / (time.perf_counter() - started))
    return statistics.median(rates)


@contextlib.contextmanager
def _database(backend: str, directory: Path) -> Iterator[tuple[str, Database]]:
    """A migrated, empty database of `backend` and its URL."""
    with contextlib.ExitStack() as stack:
        if backend == "sqlite":
            url = f"sqlite:///{directory / 'bench.db'}"
        else:
            url = stack.enter_context(postgres_schema("bench_webhook"))
        database = Database.connect(url)
        stack.callback(database.dispose)
        database.ensure_schema()
        yield url, database


@pytest.mark.benchmark
@pytest.mark.parametrize(
    ("backend", "processes"),
    [
        ("sqlite", 1),
        ("sqlite", 2),
        pytest.param("postgresql", 1, marks=pytest.mark.postgres),
    ],
)
def test_webhook_acknowledgements_vs_bare_insert(
    tmp_path: Path, backend: str, processes: int
) -> None:
    acks: list[float] = []
    with (
        _database(backend, tmp_path) as (url, db),
        _serve(tmp_path, url, worker=False, processes=processes) as base_url,
    ):
        _send(base_url, 200, "warmup")
        for number in range(ROUNDS):
            acks.append(_send(base_url, EVENTS_PER_ROUND, f"r{number}"))
            assert _inbox_size(db) == 200 + (number + 1) * EVENTS_PER_ROUND
        if db.engine.dialect.name == "sqlite":
            baselines = {
                "synchronous=NORMAL, the engine default": _inserts_per_second(
                    db, synchronous="NORMAL"
                ),
                "synchronous=FULL, the acks' durability": _inserts_per_second(
                    db, synchronous="FULL"
                ),
            }
        else:
            baselines = {"PostgreSQL defaults (fsync at commit)": _inserts_per_second(db)}
    ack = statistics.median(acks)
    lines = [
        f"\nwebhook acknowledgements ({backend}, {processes} server process(es), "
        f"{CONCURRENCY} connections, worker off): median {ack:.0f}/s of {ROUNDS} rounds "
        f"{[round(a) for a in acks]}"
    ]
    for number, (name, rate) in enumerate(baselines.items()):
        role = " (baseline)" if number == 0 else ""
        lines.append(
            f"  bare insert, one commit each, {name}: {rate:.0f}/s{role}, ratio {ack / rate:.2f}"
        )
    print("\n".join(lines))


@pytest.mark.benchmark
def test_webhook_events_applied_by_the_inprocess_worker(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    db = Database.connect(url)
    db.ensure_schema()
    acks: list[float] = []
    applied: list[float] = []
    with _serve(tmp_path, url, worker=True) as base_url:
        for number in range(WORKER_ROUNDS):
            started = time.perf_counter()
            acks.append(_send(base_url, EVENTS_PER_WORKER_ROUND, f"w{number}"))
            deadline = time.monotonic() + DRAIN_TIMEOUT_S
            while True:
                with db.session() as session:
                    if count_pending_events(session=session) == 0:
                        break
                assert time.monotonic() < deadline, "the worker did not drain the inbox"
                time.sleep(0.05)
            applied.append(EVENTS_PER_WORKER_ROUND / (time.perf_counter() - started))
        normal = _inserts_per_second(db, synchronous="NORMAL")
    db.dispose()
    ack, done = statistics.median(acks), statistics.median(applied)
    print(
        f"\nwebhooks with the in-process worker on (SQLite): acknowledged median {ack:.0f}/s "
        f"{[round(a) for a in acks]}, applied end to end median {done:.0f}/s "
        f"{[round(a) for a in applied]}\n"
        f"  bare insert, one commit each, synchronous=NORMAL: {normal:.0f}/s (baseline), "
        f"ratios {ack / normal:.2f} (acks) and {done / normal:.2f} (applied)"
    )
