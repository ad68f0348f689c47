"""Benchmark: POST /v1/scores under load from wrk, next to POST /v1/echo of the same app.

The service runs as `connect-risk serve --workers 2` in a subprocess on a fresh SQLite var/
directory, and again on a fresh PostgreSQL schema (the scale-out path), serving a champion
trained with the default settings into a temporary MLflow store, with the echo route enabled
(CONNECT_RISK_ECHO_ENDPOINT=true); the key comes from `connect-risk apikey create`.
wrk (a separate process, on the same 2 cores) posts a fresh inline Stripe Account per request
(tests/benchmarks/wrk_score.lua). For each connection count (1: latency without queueing),
echo and scores run back to back with the same settings; we print throughput, p50 and p99 of
both and the ratios. Issue #7's targets: scores at least 0.5 of the echo's throughput, p99
under 20 ms at 1,000 requests/s. Failed requests are counted and printed, not hidden, and so is
each server process's CPU during each run (a few connections may all hash to one process) and
the CPU time all of them spent per request: once the cores are busy, throughput is their
inverse, so scores reach half the echo's only if a score costs at most twice its CPU.
Needs wrk: `apt-get install -y wrk`.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from bench_postgres import postgres_schema

from training import registry
from training.pipeline import TrainOptions, run_training
from training.synth.config import GeneratorConfig
from training.synth.dataset import generate

LUA = Path(__file__).with_name("wrk_score.lua")
CONNECTIONS = (1, 4, 16)
DURATION_S = 10
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class WrkRun:
    """What one wrk run measured, and how busy each server process was meanwhile."""

    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    failures: int
    cpu: str  # e.g. "api 97% 5%, worker 12%": SO_REUSEPORT may hash few connections unevenly
    cpu_ms_per_request: float  # every server process's CPU time over the requests served


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _wrk(service: Service, path: str, connections: int) -> WrkRun:
    before, started = _cpu_seconds(service), time.monotonic()
    result = subprocess.run(
        [
            service.wrk,
            "-t",
            str(min(2, connections)),
            "-c",
            str(connections),
            "-d",
            f"{DURATION_S}s",
            "--latency",
        ]
        # A slow answer is measured, not dropped as a socket timeout (wrk's default is 2 s).
        + ["--timeout", "30s"]
        + ["-s", str(LUA), service.url + path, "--", service.token],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"wrk failed ({result.returncode}): {result.stderr}{result.stdout}")
    after, elapsed = _cpu_seconds(service), time.monotonic() - started
    shares = {
        pid: (after[pid][1] - before[pid][1]) / elapsed for pid in after.keys() & before.keys()
    }
    api = sorted((share for pid, share in shares.items() if after[pid][0] == "api"), reverse=True)
    worker = [share for pid, share in shares.items() if after[pid][0] == "worker"]
    cpu = "api " + " ".join(f"{share:.0%}" for share in api)
    cpu += "".join(f", worker {share:.0%}" for share in worker)
    out = result.stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    total = re.search(r"(\d+) requests in", out)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not (total and rate and "50" in percentiles and "99" in percentiles):
        raise AssertionError(f"cannot read wrk's output:\n{out}\n{result.stderr}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failures = int(non_2xx.group(1)) if non_2xx else 0
    failures += sum(int(n) for n in errors.groups()) if errors else 0
    cpu_seconds = sum(shares.values()) * elapsed
    return WrkRun(
        requests_per_s=float(rate.group(1)),
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        requests=int(total.group(1)),
        failures=failures,
        cpu=cpu,
        cpu_ms_per_request=1000 * cpu_seconds / max(1, int(total.group(1))),
    )


def _holds(pid: int, sockets: set[str]) -> bool:
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):  # closed while we look
            if os.readlink(fd) in sockets:
                return True
    return False


def _cpu_seconds(service: Service) -> dict[int, tuple[str, float]]:
    """CPU seconds so far of each of serve's processes, and its role: the API processes hold
    a socket listening on the service's port, the worker process does not (Linux /proc)."""
    port = int(service.url.rsplit(":", 1)[1])
    rows = [row.split() for row in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    listening = {f"socket:[{r[9]}]" for r in rows if r[1].endswith(f":{port:04X}") and r[3] == "0A"}
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    task = Path(f"/proc/{service.pid}/task/{service.pid}/children")
    for pid in map(int, task.read_text().split()):
        with contextlib.suppress(OSError):  # a process that is gone, or multiprocessing's tracker
            if b"resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            role = "api" if _holds(pid, listening) else "worker"
            found[pid] = (role, (int(fields[11]) + int(fields[12])) / tick)
    return found


@dataclass(frozen=True)
class Service:
    url: str
    token: str
    wrk: str
    backend: str
    pid: int  # the supervisor of `serve --workers 2`


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    """`connect-risk serve --workers 2` on a fresh var/ directory (SQLite) or a fresh
    PostgreSQL schema, a key, and wrk's path."""
    wrk = shutil.which("wrk")
    if wrk is None:
        pytest.fail("wrk is not installed; install it with `apt-get install -y wrk`", False)
    backend: str = request.param
    root = tmp_path_factory.mktemp("load")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CONNECT_"))}
    env.update(
        MLFLOW_TRACKING_URI=f"sqlite:///{root / 'var' / 'mlflow.db'}",
        CONNECT_RISK_ECHO_ENDPOINT="true",
        CONNECT_RISK_LOG_LEVEL="WARNING",
    )
    with contextlib.ExitStack() as stack:
        if backend == "postgresql":
            env["DATABASE_URL"] = stack.enter_context(postgres_schema("bench_scores"))
            # Replicas share a database, so the pepper comes from settings, not a file.
            env["CONNECT_RISK_API_KEY_PEPPER"] = secrets.token_urlsafe(32)
        yield from _serve(root, env, wrk, backend)


def _serve(root: Path, env: dict[str, str], wrk: str, backend: str) -> Iterator[Service]:
    (root / "var").mkdir()
    _train_champion(root, env)
    cli = str(BIN / "connect-risk")
    created = subprocess.run(
        [cli, "apikey", "create", "--name", "load", "--scopes", "scores:write"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    token = created.stdout.strip().splitlines()[-1]
    port = _free_port()
    log = (root / "serve.log").open("wb")
    server = subprocess.Popen(
        [cli, "serve", "--port", str(port), "--workers", "2"],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, server, root / "serve.log")
        yield Service(url=url, token=token, wrk=wrk, backend=backend, pid=server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _train_champion(root: Path, env: dict[str, str]) -> None:
    """A champion trained with the default settings, as `make run` trains it (on 400
    generated accounts: about 120 trees), in the run's MLflow store."""
    options = TrainOptions(workers=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_TRACKING_URI", env["MLFLOW_TRACKING_URI"])
        (root / "data").mkdir()
        generate(GeneratorConfig(accounts=400, seed=3, render_documents=False), root / "data", 1)
        registry.crown(run_training(root / "data", "provider-risk", options).version)


def _wait_ready(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"serve exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"serve not ready after 180 s:\n{log.read_text()}")


@pytest.mark.benchmark
def test_scores_throughput_and_latency_against_echo(service: Service) -> None:
    account = {"account": {"id": "acct_1Warm", "object": "account", "country": "US"}}
    headers = {"Authorization": f"Bearer {service.token}"}
    for path in ("/v1/echo", "/v1/scores"):  # warm both workers' routes
        for _ in range(8):
            assert httpx.post(service.url + path, json=account, headers=headers).is_success
    print(f"\nPOST /v1/scores vs POST /v1/echo, `serve --workers 2` on {service.backend}, wrk")
    failed = 0
    for connections in CONNECTIONS:
        echo = _wrk(service, "/v1/echo", connections)
        scores = _wrk(service, "/v1/scores", connections)
        print(
            f"{connections:>3} connections, {DURATION_S} s each:"
            f"\n    echo:   {echo.requests_per_s:8.1f} req/s  p50 {echo.p50_ms:7.2f} ms  "
            f"p99 {echo.p99_ms:8.2f} ms  ({echo.requests} requests, {echo.failures} failed; "
            f"CPU {echo.cpu})"
            f"\n    scores: {scores.requests_per_s:8.1f} req/s  p50 {scores.p50_ms:7.2f} ms  "
            f"p99 {scores.p99_ms:8.2f} ms  ({scores.requests} requests, {scores.failures} failed; "
            f"CPU {scores.cpu})"
            f"\n    scores/echo throughput {scores.requests_per_s / echo.requests_per_s:.2f} "
            f"(target >= 0.5); p50 {scores.p50_ms / echo.p50_ms:.1f}x, "
            f"p99 {scores.p99_ms / echo.p99_ms:.1f}x the echo's"
            f"\n    CPU per request (every server process): echo {echo.cpu_ms_per_request:.2f} ms, "
            f"scores {scores.cpu_ms_per_request:.2f} ms "
            f"({scores.cpu_ms_per_request / echo.cpu_ms_per_request:.1f}x; the 0.5 target needs "
            "at most 2x once the cores are busy)",
            flush=True,
        )
        failed += echo.failures + scores.failures
        assert echo.requests > 0 and scores.requests > 0
    if failed:
        # Not hidden: a failed request under load (e.g. 503 while SQLite's writer lock is
        # held past the busy timeout) is a finding to read next to the figures.
        print(f"WARNING: {failed} requests failed (non-2xx or socket errors); see serve.log")
