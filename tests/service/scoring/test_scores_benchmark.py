"""Latency of POST /v1/scores (inline account, no transactions) next to GET /healthz, measured
in the same run over real HTTP; run with `pytest -m benchmark -s`."""

from __future__ import annotations

import statistics
import time

import httpx
import pytest
from scoring_support import stripe_account

REQUESTS = 200


def _median_ms(send, count: int = REQUESTS) -> float:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = send()
        timings.append(time.perf_counter() - started)
        assert response.is_success, response.text
    return statistics.median(timings) * 1000


@pytest.mark.benchmark
def test_score_latency_against_healthz(scoring_server, headers, db_backend):
    accounts = [stripe_account() for _ in range(REQUESTS)]
    with httpx.Client(base_url=scoring_server.url, timeout=30) as http:
        http.post("/v1/scores", json={"account": accounts[0]}, headers=headers)  # warm-up
        pending = iter(accounts)
        score = _median_ms(
            lambda: http.post("/v1/scores", json={"account": next(pending)}, headers=headers)
        )
        health = _median_ms(lambda: http.get("/healthz"))
    print(
        f"\n[{db_backend}] POST /v1/scores median {score:.2f} ms over {REQUESTS} requests; "
        f"GET /healthz median {health:.2f} ms; ratio {score / health:.1f}x"
    )
    assert score > 0 and health > 0
