"""Probes and metrics: open without a key, honest about the database and the model."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import httpx
from prometheus_client import CollectorRegistry, generate_latest
from svc_api_support import FakeModelStatus, IssueKey
from svc_support import LiveServer, make_settings

from service.api.metrics import LiveProcesses
from service.app import create_app
from service.db.database import Database
from service.db.repositories.inbox import store_event

METRIC_NAMES = (
    "connect_risk_http_request_duration_seconds",
    "connect_risk_decisions_total",
    "connect_risk_model_info",
    "connect_risk_inbox_depth",
    "connect_risk_outbox_depth",
    "connect_risk_review_queue_depth",
    "connect_risk_database_up",
)
# Only where the worker loop runs: a replica without one (`serve --no-worker`, the `api`
# fixture) would export a heartbeat that never beats.
WORKER_METRIC_NAMES = (
    "connect_risk_webhook_events_total",
    "connect_risk_stripe_actions_total",
    "connect_risk_worker_last_poll_timestamp_seconds",
)


def test_healthz_answers_without_a_key(api: httpx.Client) -> None:
    response = api.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_probes_answer_head_as_get_without_a_body(api: httpx.Client) -> None:
    for path in ("/healthz", "/readyz"):
        head, get = api.head(path), api.get(path)
        assert head.status_code == get.status_code and head.content == b""


def test_readyz_is_503_until_a_model_is_loaded(api: httpx.Client) -> None:
    response = api.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["model"]) == ("not ready", "ok", "not loaded")
    [reason] = body["reasons"]
    assert reason.startswith("no champion model is loaded: no version holds the ")


def test_readyz_is_200_with_a_loaded_model(
    api: httpx.Client, model_status: FakeModelStatus
) -> None:
    model_status.ready, model_status.version = True, "7"
    response = api.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "database": "ok",
        "model": "loaded",
        "model_version": "7",
        "network": "built",
        "reasons": [],
    }


def test_metrics_expose_every_family_in_prometheus_text(api: httpx.Client) -> None:
    api.get("/healthz")
    response = api.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    for name in METRIC_NAMES:
        assert f"# TYPE {name.removesuffix('_total')}" in response.text
    for name in WORKER_METRIC_NAMES:
        assert name.removesuffix("_total") not in response.text
    assert (
        'connect_risk_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}'
        in response.text
    )
    assert "connect_risk_database_up 1.0" in response.text


def test_metrics_show_the_loaded_model_version(
    api: httpx.Client, model_status: FakeModelStatus
) -> None:
    assert "connect_risk_model_info{" not in api.get("/metrics").text
    model_status.ready, model_status.version = True, "12"
    assert 'connect_risk_model_info{version="12"} 1.0' in api.get("/metrics").text


def _gauge(text: str, name: str) -> float:
    [line] = [line for line in text.splitlines() if line.startswith(f"{name} ")]
    return float(line.split()[1])


def test_inbox_depth_is_counted_at_scrape_time(
    api: httpx.Client, shared_database: Database
) -> None:
    before = _gauge(api.get("/metrics").text, "connect_risk_inbox_depth")
    with shared_database.session() as session, session.begin():
        for event_id in ("evt_metrics_1", "evt_metrics_2"):
            store_event(
                session=session,
                event_id=event_id,
                event_type="payout.paid",
                event_created=1,
                payload={},
            )
    after = _gauge(api.get("/metrics").text, "connect_risk_inbox_depth")
    assert after == before + 2


def test_latency_is_labelled_by_route_template_not_path(api: httpx.Client, issue: IssueKey) -> None:
    admin = issue(["admin"])
    api.delete("/v1/api-keys/feedfacecafe", headers=admin.headers)
    text = api.get("/metrics").text
    assert 'route="/v1/api-keys/{key_id}"' in text
    assert "feedfacecafe" not in text
    api.get("/no/such/path/acct_123")
    text = api.get("/metrics").text
    assert 'route="unmatched"' in text and "acct_123" not in text


def test_the_in_process_worker_counts_what_it_files(sqlite_url: str) -> None:
    settings = make_settings(sqlite_url, network_refresh_seconds=0)
    assert settings.inprocess_worker
    app = create_app(settings, model_status=FakeModelStatus())
    with LiveServer(app) as server:
        with app.state.database.session() as session, session.begin():
            # No connected account: the worker files it as ignored, with no model needed.
            store_event(
                session=session,
                event_id="evt_platform_payout",
                event_type="payout.paid",
                event_created=1,
                payload={"id": "evt_platform_payout", "type": "payout.paid"},
            )
        ignored = 'connect_risk_webhook_events_total{outcome="ignored"}'
        deadline = time.monotonic() + 30
        while ignored + " 1.0" not in (text := httpx.get(f"{server.url}/metrics").text):
            assert time.monotonic() < deadline, f"not counted:\n{text}"
            time.sleep(0.1)
        assert _gauge(text, "connect_risk_worker_last_poll_timestamp_seconds") > time.time() - 30
        for name in WORKER_METRIC_NAMES:
            assert f"# TYPE {name.removesuffix('_total')}" in text


def test_live_processes_are_those_with_live_gauge_files(tmp_path: Path) -> None:
    alive, gone = os.getpid(), 2**22 + 1  # above Linux's largest pid: no such process
    for name in (f"gauge_liveall_{alive}.db", f"gauge_livemax_{gone}.db", "counter_7.db"):
        (tmp_path / name).touch()
    registry = CollectorRegistry()
    registry.register(LiveProcesses(tmp_path))
    text = generate_latest(registry).decode()
    pids = set(re.findall(r'^process_resident_memory_bytes\{pid="(\d+)"\} ', text, re.MULTILINE))
    assert pids == {str(alive)}
    cpu = registry.get_sample_value("process_cpu_seconds_total", {"pid": str(alive)})
    assert cpu is not None and cpu > 0


def test_answers_forbid_sniffing_and_v1_answers_forbid_caching(api: httpx.Client) -> None:
    probe = api.get("/healthz")
    refused = api.get("/v1/accounts/acct_1")  # no key: 401, still an answer about an account
    missing = api.get("/nowhere")
    assert {r.headers["x-content-type-options"] for r in (probe, refused, missing)} == {"nosniff"}
    assert refused.status_code == 401 and refused.headers["cache-control"] == "no-store"
    assert "cache-control" not in probe.headers
