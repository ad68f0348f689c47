"""The Stripe loop as separate processes: the Stripe emulator, the API (webhooks, no worker
thread) and `connect-risk worker`, each a real `connect-risk` subprocess on its own port,
sharing one database, one MLflow store and one working directory (for the API key pepper)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import stripe

STRIPE_KEY = "sk_test_e2e_loop"
WEBHOOK_SECRET = "whsec_e2e_loop"
# Shared by every process (required off SQLite, where no pepper file is shared).
PEPPER = "e2e-pepper-" + "0123456789abcdef" * 3
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(check: Callable[[], T | None], timeout: float, what: str, step: float = 0.1) -> T:
    """Poll `check` until it returns something truthy; AssertionError naming `what` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(step)


@dataclass
class Process:
    """One `connect-risk` subprocess with its output in a log file (shown when a test fails)."""

    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    popen: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        return self.cwd / f"{self.name}.log"

    def start(self) -> Process:
        with self.log.open("ab") as log:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "service.cli", *self.argv],
                env=self.env,
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up, no finished batch."""
        assert self.popen is not None
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(10)

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None


@dataclass
class Loop:
    """Emulator + API + worker(s) over one database; `sdk` talks to the emulator as a platform."""

    root: Path
    database_url: str
    mlflow_uri: str
    policy_path: Path
    emulator_port: int = field(default_factory=free_port)
    api_port: int = field(default_factory=free_port)
    processes: dict[str, Process] = field(default_factory=dict)
    lease_seconds: float = 3.0

    @property
    def emulator_url(self) -> str:
        return f"http://127.0.0.1:{self.emulator_port}"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def webhook_url(self) -> str:
        return f"{self.api_url}/v1/webhooks/stripe"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONNECT_RISK_")}
        env.update(
            DATABASE_URL=self.database_url,
            MLFLOW_TRACKING_URI=self.mlflow_uri,
            STRIPE_API_KEY=STRIPE_KEY,
            STRIPE_API_BASE=self.emulator_url,
            STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
            CONNECT_RISK_POLICY_PATH=str(self.policy_path),
            CONNECT_RISK_API_KEY_PEPPER=PEPPER,
            CONNECT_RISK_LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self) -> Loop:
        self.processes["emulator"] = Process(
            "emulator",
            [
                "stripe-emulator",
                "--port",
                str(self.emulator_port),
                "--webhook-url",
                self.webhook_url,
                "--webhook-secret",
                WEBHOOK_SECRET,
                "--seed",
                "17",
            ],
            self.env(),
            self.root,
        ).start()
        self.processes["api"] = Process(
            "api",
            ["serve", "--port", str(self.api_port), "--no-worker"],
            self.env(),
            self.root,
        ).start()
        self._wait_up("emulator", f"{self.emulator_url}/_emulator/faults")
        self._wait_up("api", f"{self.api_url}/readyz")
        self.start_worker()
        return self

    def _wait_up(self, name: str, url: str) -> None:
        process = self.processes[name]

        def up() -> bool:
            if not process.alive():
                raise AssertionError(f"{name} exited:\n{self.logs()}")
            return _answers(url)

        wait_for(up, 90, f"{name} to answer at {url}")

    def start_worker(self, name: str = "worker") -> Process:
        argv = ["worker", "--poll-seconds", "0.1", "--lease-seconds", str(self.lease_seconds)]
        process = Process(name, argv, self.env(), self.root).start()
        self.processes[name] = process
        return process

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name} ---\n{p.log.read_text(errors='replace')[-4000:]}"
            for p in self.processes.values()
            if p.log.exists()
        )

    @contextlib.contextmanager
    def control(self) -> Iterator[httpx.Client]:
        with httpx.Client(base_url=self.emulator_url, timeout=30) as http:
            yield http

    def sdk(self) -> stripe.StripeClient:
        return stripe.StripeClient(STRIPE_KEY, base_addresses={"api": self.emulator_url})

    def requests(self) -> list[dict[str, Any]]:
        with self.control() as http:
            return list(http.get("/_emulator/requests").json()["data"])

    def enforcement(self) -> list[dict[str, Any]]:
        """The mutations the service caused: its idempotency keys start with a decision id."""
        return [
            entry
            for entry in self.requests()
            if entry["mutated"] and str(entry["idempotency_key"] or "").startswith("dec_")
        ]

    def settle(self, quiet_seconds: float = 1.5, timeout: float = 60.0) -> None:
        """Wait until webhooks are delivered and no request reaches the emulator for a while."""
        with self.control() as http:
            http.post("/_emulator/flush").raise_for_status()

        def quiet() -> bool:
            last = max((entry["time"] for entry in self.requests()), default=0.0)
            return time.time() - last > quiet_seconds

        wait_for(quiet, timeout, "the loop to go quiet", step=0.25)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
