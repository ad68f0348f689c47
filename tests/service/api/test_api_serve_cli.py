"""`connect-risk serve`: argument checks, and a real multi-worker server on the embedded default."""

from __future__ import annotations

import argparse
import contextlib
import gc
import http.client
import json
import logging
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from svc_support import LiveServer, new_event, sign

from service import serve_cli
from service.app import create_app
from service.settings import load_settings

ROOT = Path(__file__).resolve().parents[3]


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="connect-risk")
    serve_cli.add_parser(parser.add_subparsers(required=True))
    return parser.parse_args(["serve", *argv])


def test_defaults_bind_localhost_port_8000_one_worker() -> None:
    args = parse()
    assert (args.host, args.port, args.workers) == ("127.0.0.1", 8000, 1)


@pytest.mark.parametrize(
    "argv", [["--port", "0"], ["--port", "70000"], ["--workers", "0"], ["--port", "x"]]
)
def test_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        parse(*argv)
    assert exited.value.code == 2
    assert "expected" in capsys.readouterr().err


def test_unusable_settings_exit_2_before_serving(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONNECT_RISK_MAX_BODY_BYTES", "0")
    assert serve_cli.run(parse()) == 2
    assert "CONNECT_RISK_MAX_BODY_BYTES: " in capsys.readouterr().err


def test_an_invalid_policy_stops_serve_naming_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: broken\nbands:\n  - {name: low, min_score: 2}\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONNECT_RISK_POLICY_PATH", str(policy))
    # Set here so monkeypatch restores it: `--no-worker` writes it for uvicorn's workers.
    monkeypatch.setenv("CONNECT_RISK_INPROCESS_WORKER", "true")
    assert serve_cli.run(parse("--no-worker")) == 2
    err = capsys.readouterr().err
    assert "policy" in err and ":3: bands[0].min_score" in err
    assert os.environ["CONNECT_RISK_INPROCESS_WORKER"] == "false"


@pytest.mark.parametrize("missing", ["absent.yaml", "."], ids=["no-such-file", "a-directory"])
def test_a_policy_file_that_cannot_be_read_stops_serve_with_one_line(
    missing: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONNECT_RISK_POLICY_PATH", str(tmp_path / missing))
    monkeypatch.setenv("CONNECT_RISK_INPROCESS_WORKER", "true")
    assert serve_cli.run(parse("--no-worker")) == 2
    err = capsys.readouterr().err
    assert "cannot read:" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("serving", [True, False], ids=["serve-factory", "app-in-a-shared-process"])
def test_only_serve_freezes_start_up_objects_for_the_collector(
    serving: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("DATABASE_URL", "CONNECT_RISK_", "MLFLOW_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CONNECT_RISK_INPROCESS_WORKER", "false")
    monkeypatch.setenv("CONNECT_RISK_NETWORK_REFRESH_SECONDS", "0")
    if serving:
        app = serve_cli.app_from_environment()
    else:
        app = create_app(load_settings())
    with LiveServer(app) as server:
        assert httpx.get(f"{server.url}/healthz").status_code == 200
        frozen_while_serving = gc.get_freeze_count()
    assert (frozen_while_serving > 0) is serving
    assert gc.get_freeze_count() == 0  # and unfrozen at shutdown


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SERVE = (
    "import argparse, sys\n"
    "from service import serve_cli\n"
    "parser = argparse.ArgumentParser()\n"
    "serve_cli.add_parser(parser.add_subparsers(required=True))\n"
    "args = parser.parse_args(sys.argv[1:])\n"
    "raise SystemExit(args.handler(args))\n"
)
APIKEY = SERVE.replace("serve_cli", "cli").replace(
    "from service import", "from service.auth import"
)


def _serve_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "CONNECT_RISK_", "STRIPE_"))
    }
    env["PYTHONPATH"] = str(ROOT)
    return env | extra


def _start_serve(tmp_path: Path, port: int, workers: int, **env: str) -> subprocess.Popen[bytes]:
    with (tmp_path / "serve.log").open("wb") as log_file:
        return subprocess.Popen(
            [sys.executable, "-c", SERVE, "serve", "--port", str(port), "--workers", str(workers)],
            cwd=tmp_path,
            env=_serve_env(**env),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_answering(server: subprocess.Popen[bytes], url: str, key: str, log: Path) -> int:
    deadline = time.monotonic() + 90  # two workers each load the model, policy and network
    while True:
        try:
            return httpx.get(url, headers={"Authorization": f"Bearer {key}"}).status_code
        except httpx.TransportError:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)


def test_serve_with_two_workers_on_var_of_the_working_directory(tmp_path: Path) -> None:
    port = free_port()
    server = _start_serve(tmp_path, port, workers=2)
    try:
        created = subprocess.run(
            [sys.executable, "-c", APIKEY, "apikey", "create", "--name", "w", "--scopes", "admin"],
            cwd=tmp_path,
            env=_serve_env(),
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        key = created.stdout.splitlines()[-1]
        whoami = f"http://127.0.0.1:{port}/v1/whoami"
        assert _wait_answering(server, whoami, key, tmp_path / "serve.log") == 200
        assert {p.name for p in (tmp_path / "var").iterdir()} >= {
            "connect-risk.db",
            "api-key-pepper",
        }
        # Each worker listens on a socket of its own, and a burst of connections reaches both.
        deadline = time.monotonic() + 90
        while _listeners(port) < 2:
            assert time.monotonic() < deadline, "the second worker did not start listening"
            time.sleep(0.2)
        assert len(_workers_answering(server.pid, port, connections=16)) == 2
        assert len(_children(server.pid) - _api_pids(server.pid, port)) == 1  # the worker

        # Whichever worker a scrape reaches, it counts every worker's requests.
        healthz = (
            "connect_risk_http_request_duration_seconds_count"
            '{method="GET",route="/healthz",status="200"}'
        )
        before = _metric(port, healthz)
        for _ in range(20):
            assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
        assert {_metric(port, healthz) for _ in range(8)} == {before + 20}
        assert _live_pids(port) == _api_pids(server.pid, port)

        # A worker that dies is replaced, and both answer again. (Connections queued at the
        # dead worker's socket when it died are reset: that is the one loss.)
        first = _api_pids(server.pid, port)
        os.kill(min(first), signal.SIGKILL)
        deadline = time.monotonic() + 90
        while not _replaced(server.pid, first, port):
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "the dead worker was not replaced"
            time.sleep(0.5)
        assert _live_pids(port) == _api_pids(server.pid, port)  # the dead one is gone
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        assert server.wait(timeout=40) == 0


def test_serve_stops_when_a_worker_cannot_start(tmp_path: Path) -> None:
    port = free_port()
    with socket.socket() as squatter:
        # A listener without SO_REUSEPORT: no worker can bind beside it.
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        server = _start_serve(tmp_path, port, workers=2)
        try:
            assert server.wait(timeout=90) == 1
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)
    assert "cannot bind" in (tmp_path / "serve.log").read_text()


WEBHOOK_SECRET = "whsec_serve_" + "s" * 24


def test_serve_with_two_workers_files_events_in_one_worker_process(tmp_path: Path) -> None:
    port = free_port()
    server = _start_serve(tmp_path, port, workers=2, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET)
    log = tmp_path / "serve.log"
    try:
        deadline = time.monotonic() + 90
        while _listeners(port) < 2 or len(_children(server.pid)) < 3:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "serve did not start its three processes"
            time.sleep(0.2)
        api = _api_pids(server.pid, port)
        (worker,) = _children(server.pid) - api
        # Scrapes carry each process's CPU and memory, labelled by pid (the worker process's
        # from its first metric on).
        processes = "process_cpu_seconds_total"
        _until(lambda: _pids_labelled(port, processes) == api | {worker}, "no process_* for all")

        # Paused, the worker process files nothing, and no API process files in its place.
        os.kill(worker, signal.SIGSTOP)
        paused = _deliver(port)
        time.sleep(2.0)  # eight polls of the worker thread an API process would have run
        assert _inbox_status(tmp_path, paused) == "received"
        os.kill(worker, signal.SIGCONT)
        _wait_filed(tmp_path, paused, server)
        # What the worker process counts, every API process's scrape shows.
        ignored = 'connect_risk_webhook_events_total{outcome="ignored"}'
        _until(lambda: _metric(port, ignored) >= 1, "not counted")  # just after its commit
        assert {_metric(port, ignored) for _ in range(6)} == {1.0}
        assert _metric(port, "connect_risk_worker_last_poll_timestamp_seconds") > time.time() - 30

        # A worker process that dies is replaced, and the new one files events.
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 90
        while not (_children(server.pid) - api - {worker}):
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the worker process was not replaced"
            time.sleep(0.2)
        _wait_filed(tmp_path, _deliver(port), server)
        assert _api_pids(server.pid, port) == api
        _until(lambda: _metric(port, ignored) >= 2, "not counted")  # the dead one's count stays
        assert {_metric(port, ignored) for _ in range(6)} == {2.0}
        replaced = _children(server.pid)  # the new worker process's figures, not the dead one's
        _until(lambda: _pids_labelled(port, processes) == replaced, "process_* not updated")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        assert server.wait(timeout=40) == 0


def _deliver(port: int) -> str:
    """POST a signed Stripe event to the webhook route; its id."""
    event = new_event()
    body = json.dumps(event).encode()
    answer = httpx.post(
        f"http://127.0.0.1:{port}/v1/webhooks/stripe",
        content=body,
        headers={
            "Stripe-Signature": sign(body, WEBHOOK_SECRET),
            "Content-Type": "application/json",
        },
    )
    assert answer.status_code == 200, answer.text
    return str(event["id"])


def _inbox_status(tmp_path: Path, event_id: str) -> str:
    with contextlib.closing(sqlite3.connect(tmp_path / "var" / "connect-risk.db")) as db:
        row = db.execute("SELECT status FROM webhook_inbox WHERE event_id = ?", (event_id,))
        return str(row.fetchone()[0])


def _wait_filed(tmp_path: Path, event_id: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while _inbox_status(tmp_path, event_id) == "received":
        assert server.poll() is None, (tmp_path / "serve.log").read_text()
        assert time.monotonic() < deadline, f"event {event_id} was never filed"
        time.sleep(0.2)


def _replaced(supervisor: int, before: set[int], port: int) -> bool:
    if len(_api_pids(supervisor, port) - before) != 1:
        return False
    try:
        return len(_workers_answering(supervisor, port, connections=16)) == 2
    except OSError:  # a connection the dead worker's socket had queued
        return False


def _listening(port: int) -> set[str]:
    """Sockets listening on 127.0.0.1:`port`, as /proc names them (from /proc/net/tcp; state
    0A is LISTEN)."""
    local = f"0100007F:{port:04X}"
    rows = [row.split() for row in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    return {f"socket:[{row[9]}]" for row in rows if row[1] == local and row[3] == "0A"}


def _listeners(port: int) -> int:
    """How many sockets listen on 127.0.0.1:`port`."""
    return len(_listening(port))


def _children(supervisor: int) -> set[int]:
    """The supervisor's processes (without multiprocessing's resource tracker)."""
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split()
    return {
        int(pid)
        for pid in children
        if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    }


def _api_pids(supervisor: int, port: int) -> set[int]:
    """The supervisor's API processes: those holding a socket listening on `port`."""
    listening = _listening(port)
    return {pid for pid in _children(supervisor) if _holds(pid, listening)}


def _holds(pid: int, sockets: set[str]) -> bool:
    with contextlib.suppress(FileNotFoundError):  # an fd closed while we look
        return any(os.readlink(fd) in sockets for fd in Path(f"/proc/{pid}/fd").iterdir())
    return False


def _workers_answering(supervisor: int, port: int, connections: int) -> set[int]:
    """The worker processes that serve a burst of connections opened at once, as a client pool
    or a load balancer opens them: each connection's server side, found in /proc."""
    opened = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(connections)]
    try:
        for connection in opened:
            connection.connect()
        for connection in opened:
            connection.request("GET", "/healthz")
            assert connection.getresponse().read()
        return _serving(supervisor, port, {c.sock.getsockname()[1] for c in opened})
    finally:
        for connection in opened:
            connection.close()


def _serving(supervisor: int, port: int, client_ports: set[int]) -> set[int]:
    """The workers holding the server end of connections from these client ports."""
    inodes = set()
    for row in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = row.split()
        local, remote = fields[1].split(":"), fields[2].split(":")
        if int(local[1], 16) == port and int(remote[1], 16) in client_ports:
            inodes.add(f"socket:[{fields[9]}]")
    assert len(inodes) == len(client_ports)
    return {pid for pid in _children(supervisor) if _holds(pid, inodes)}


def _metric(port: int, sample: str) -> float:
    """One sample's value in a fresh connection's scrape (it may reach either worker)."""
    text = httpx.get(f"http://127.0.0.1:{port}/metrics").text
    found = re.search(rf"^{re.escape(sample)} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def _until(condition: Callable[[], bool], failure: str, seconds: float = 30.0) -> None:
    """Wait until `condition()` holds; fail with `failure` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.1)


def _pids_labelled(port: int, metric: str) -> set[int]:
    """The pids of a metric's samples in a fresh connection's scrape."""
    text = httpx.get(f"http://127.0.0.1:{port}/metrics").text
    return {int(pid) for pid in re.findall(rf'^{metric}{{pid="(\d+)"}} ', text, re.MULTILINE)}


def _live_pids(port: int) -> set[int]:
    """The API processes /metrics reports alive (connect_risk_process_info)."""
    return _pids_labelled(port, "connect_risk_process_info")


def test_the_stripe_sdk_logs_no_request_urls_even_at_debug() -> None:
    # Its INFO records quote `/v1/accounts/acct_…` and Stripe's messages about the account.
    stripe_logger = logging.getLogger("stripe")
    before = stripe_logger.level
    try:
        serve_cli.configure_logging("DEBUG")
        assert not stripe_logger.isEnabledFor(logging.INFO)
        assert stripe_logger.isEnabledFor(logging.WARNING)
    finally:
        stripe_logger.setLevel(before)
        logging.getLogger().setLevel(logging.WARNING)
