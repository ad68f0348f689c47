"""Webhook intake speed on SQLite: signed deliveries acknowledged over real HTTP per second,
against a bare inbox insert (one commit each) into the same kind of database."""

from __future__ import annotations

import hashlib
import hmac
import json
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path

import httpx
import pytest
import uvicorn
from pydantic import SecretStr

from service.app import create_app
from service.db.database import Database
from service.db.repositories.inbox import store_event
from service.settings import Settings
from service.worker.worker import Worker

SECRET = "whsec_benchmark_" + "b" * 16
REPEATS = 5
PER_REPEAT = 100
_ids = count()


def _event() -> dict:
    return {
        "id": f"evt_bench_{next(_ids):08d}",
        "object": "event",
        "type": "payout.paid",
        "created": int(time.time()),
        "account": "acct_bench",
        "livemode": False,
        "pending_webhooks": 1,
        "data": {
            "object": {
                "id": f"po_bench_{next(_ids):08d}",
                "object": "payout",
                "amount": 1100,
                "currency": "usd",
                "created": 1_700_000_000,
                "status": "paid",
            }
        },
    }


def _per_second(action: Callable[[], object]) -> float:
    rates = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        for _ in range(PER_REPEAT):
            action()
        rates.append(PER_REPEAT / (time.perf_counter() - started))
    return statistics.median(rates)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Database]]:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    settings = Settings(database_url=url, stripe_webhook_secret=SecretStr(SECRET))
    database = Database.connect(url)
    database.ensure_schema()
    config = uvicorn.Config(
        create_app(settings, database=database),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        access_log=False,
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    while not uv.started:
        time.sleep(0.02)
    port = uv.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", database
    uv.should_exit = True
    thread.join(10)
    database.dispose()


@pytest.mark.benchmark
def test_webhook_acknowledgements_vs_bare_insert(server: tuple[str, Database]) -> None:
    base_url, database = server

    def deliver(http: httpx.Client) -> None:
        body = json.dumps(_event()).encode()
        stamp = int(time.time())
        mac = hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
        response = http.post(
            "/v1/webhooks/stripe", content=body, headers={"Stripe-Signature": f"t={stamp},v1={mac}"}
        )
        assert response.status_code == 200

    def bare_insert() -> None:
        event = _event()
        with database.session() as session:
            store_event(
                session=session,
                event_id=event["id"],
                event_type=event["type"],
                event_created=event["created"],
                payload=event,
                account_id=event["account"],
            )
            session.commit()

    with httpx.Client(base_url=base_url, timeout=10) as http:
        acks = _per_second(lambda: deliver(http))
    inserts = _per_second(bare_insert)
    print(
        f"\nwebhook intake (SQLite): {acks:.0f} acknowledgements/s over HTTP vs bare insert "
        f"{inserts:.0f}/s (baseline), ratio {acks / inserts:.2f}"
    )

    worker = Worker(database=database)
    started = time.perf_counter()
    processed = 0
    while (claimed := worker.run_once(batch=50).claimed) > 0:
        processed += claimed
    rate = processed / (time.perf_counter() - started)
    print(
        f"worker (SQLite): {rate:.0f} events/s applied vs bare insert {inserts:.0f}/s "
        f"(baseline), ratio {rate / inserts:.2f}"
    )
    assert processed == 2 * REPEATS * PER_REPEAT
