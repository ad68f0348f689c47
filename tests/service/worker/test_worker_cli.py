"""`connect-risk worker` as a process of its own (`python -m service.worker`)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from worker_support import drain, event, inbox_row, inject, payout, transactions, unique

from service.db.base import utcnow
from service.db.database import Database
from service.db.models import ActionStatus, InboxStatus
from service.db.repositories.accounts import ensure_account
from service.db.repositories.actions import actions_for_decision, plan_action
from service.db.repositories.decisions import NewDecision, record_decision
from service.worker.retry import RetryPolicy
from service.worker.worker import Worker


def _spawn(database_url: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "CONNECT_RISK_LOG_LEVEL": "WARNING"}
    return subprocess.Popen(
        [sys.executable, "-m", "service.worker", *args],
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _migrated(url: str) -> Database:
    database = Database.connect(url)
    database.ensure_schema()
    return database


def test_once_processes_one_batch_and_exits(sqlite_url: str) -> None:
    database = _migrated(sqlite_url)
    events = [event("payout.paid", payout(), created=1, account=unique("acct")) for _ in range(3)]
    inject(database, events)
    process = _spawn(sqlite_url, "--once", "--batch", "2")
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    statuses = sorted(str(inbox_row(database, e["id"]).status) for e in events)
    assert statuses == ["done", "done", "received"]
    database.dispose()


def test_sigterm_stops_a_running_worker_cleanly(sqlite_url: str) -> None:
    database = _migrated(sqlite_url)
    process = _spawn(sqlite_url, "--poll-seconds", "0.1")
    try:
        evt = event("payout.paid", payout(), created=1, account=unique("acct"))
        inject(database, [evt])
        deadline = time.monotonic() + 30
        while inbox_row(database, evt["id"]).status != InboxStatus.DONE:
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "the worker did not process the event"
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
        assert process.returncode == 0, stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        database.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sample(text: str, name: str, **labels: str) -> float | None:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return None


def test_a_standalone_worker_serves_its_metrics_while_it_runs(sqlite_url: str) -> None:
    database = _migrated(sqlite_url)
    port = _free_port()
    process = _spawn(sqlite_url, "--poll-seconds", "0.1", "--metrics-port", str(port))
    url = f"http://127.0.0.1:{port}/metrics"
    try:
        evt = event("payout.paid", payout(), created=1, account=unique("acct"))
        inject(database, [evt])
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "no count of the event on the worker's /metrics"
            with contextlib.suppress(httpx.TransportError):
                text = httpx.get(url, timeout=2).text
                done = _sample(text, "connect_risk_webhook_events_total", outcome="done")
                # The heartbeat is set when the pass ends, just after its counts.
                last_poll = _sample(text, "connect_risk_worker_last_poll_timestamp_seconds")
                if done == 1 and last_poll:
                    break
            time.sleep(0.1)
        assert last_poll is not None and abs(last_poll - time.time()) < 60
        assert _sample(text, "connect_risk_webhook_events_total", outcome="dead") == 0
        assert _sample(text, "connect_risk_stripe_actions_total", outcome="failed") == 0
        assert (_sample(text, "process_resident_memory_bytes") or 0) > 0
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
        assert process.returncode == 0, stderr
        with pytest.raises(httpx.ConnectError):  # the endpoint went with the loop
            httpx.get(url, timeout=2)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        database.dispose()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--batch", "0"), "--batch: expected a positive integer, got 0"),
        (("--once", "--metrics-port", "99999"), "--metrics-port: expected a port number up to"),
    ],
)
def test_bad_arguments_exit_2(sqlite_url: str, arguments: tuple[str, ...], message: str) -> None:
    process = _spawn(sqlite_url, *arguments)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert message in stderr and "Traceback" not in stderr


def test_a_killed_worker_leaves_its_claims_to_the_next_one(sqlite_url: str) -> None:
    database = _migrated(sqlite_url)
    acct = unique("acct")
    events = [event("payout.paid", payout(), created=1, account=acct) for _ in range(150)]
    inject(database, events)
    process = _spawn(sqlite_url, "--batch", "150", "--lease-seconds", "1", "--poll-seconds", "5")
    deadline = time.monotonic() + 30
    while inbox_row(database, events[0]["id"]).status != InboxStatus.DONE:
        assert time.monotonic() < deadline, "the worker did not start processing"
        time.sleep(0.01)
    process.kill()
    process.communicate()
    rows = [inbox_row(database, e["id"]) for e in events]
    by_killed = {row.event_id for row in rows if row.status == InboxStatus.DONE}
    assert 0 < len(by_killed) < len(events), len(by_killed)
    time.sleep(1.1)  # the killed worker's lease on the rest runs out
    drain(Worker(database=database))
    rows = [inbox_row(database, e["id"]) for e in events]
    assert {row.status for row in rows} == {InboxStatus.DONE}
    # Events the killed worker finished were not processed again; the rest were taken over.
    assert all(row.attempts == 1 for row in rows if row.event_id in by_killed)
    assert len(transactions(database, {acct})) == len(events)
    database.dispose()


def test_requeue_dead_gives_dead_events_fresh_attempts(sqlite_url: str) -> None:
    database = _migrated(sqlite_url)
    broken = event("payout.paid", {"id": "po_broken", "object": "payout"}, created=1, account="a")
    fine = event("payout.paid", payout(), created=1, account=unique("acct"))
    inject(database, [broken, fine])
    drain(Worker(database=database, retry=RetryPolicy(max_attempts=1)))
    assert inbox_row(database, broken["id"]).status == InboxStatus.DEAD

    process = _spawn(sqlite_url, "--requeue-dead")
    stdout, stderr = process.communicate(timeout=60)

    assert process.returncode == 0, stderr
    assert stdout.strip() == "1 dead event(s) requeued"
    requeued, untouched = inbox_row(database, broken["id"]), inbox_row(database, fine["id"])
    assert (requeued.status, requeued.attempts) == (InboxStatus.RECEIVED, 0)
    assert requeued.last_error and "KeyError" in requeued.last_error
    assert untouched.status == InboxStatus.DONE
    database.dispose()


def test_retry_failed_actions_makes_exhausted_retryable_actions_due_again(sqlite_url: str) -> None:
    database = _migrated(sqlite_url)
    account_id = unique("acct")
    with database.session() as session, session.begin():
        ensure_account(session=session, account_id=account_id)
        decision_id = record_decision(
            session=session,
            decision=NewDecision(
                account_id=account_id,
                as_of=utcnow(),
                triggered_by="test",
                inputs_digest="0" * 64,
                features={},
                score=0.5,
                band="high",
                segment="default",
                reasons=[],
                model_version="test/1",
                policy_version="test",
            ),
        )
        outage = {"http_status": 503, "retryable": True}
        refusal = {"http_status": 400, "retryable": False}
        for kind, retry_at, answer in (
            ("payout_schedule", None, outage),
            ("metadata", utcnow(), outage),
            ("capability", None, refusal),
        ):
            action = plan_action(
                session=session,
                decision_id=decision_id,
                account_id=account_id,
                kind=kind,
                params={},
                idempotency_key=f"{decision_id}:{kind}",
                status=ActionStatus.FAILED,
                error="failed after 4 attempts: api_error: down",
            )
            action.attempts, action.next_attempt_at = 4, retry_at
            action.stripe_response = answer

    process = _spawn(sqlite_url, "--retry-failed-actions")
    stdout, stderr = process.communicate(timeout=60)

    assert process.returncode == 0, stderr
    assert stdout.splitlines() == [
        "1 failed action(s) will be tried again",
        "1 action(s) Stripe refused (not retryable) were left as they are; a later decision "
        "plans those settings afresh",
    ]
    with database.session() as session:
        rows = {a.kind: a for a in actions_for_decision(session=session, decision_id=decision_id)}
    assert rows["payout_schedule"].attempts == 0
    assert rows["payout_schedule"].next_attempt_at is not None
    assert rows["metadata"].attempts == 4, "one still waiting for its retry is left alone"
    refused = rows["capability"]
    assert (refused.attempts, refused.next_attempt_at) == (4, None), "the same 400 again"
    database.dispose()
