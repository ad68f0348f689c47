"""`connect-risk serve`: argument checks, and a real multi-worker server on the embedded default."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from service import serve_cli

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
    assert "max_body_bytes" in capsys.readouterr().err


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


def test_serve_with_two_workers_on_var_of_the_working_directory(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CONNECT_RISK_"))
    }
    env["PYTHONPATH"] = str(ROOT)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVE, "serve", "--port", str(port), "--workers", "2"],
            cwd=tmp_path,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        created = subprocess.run(
            [sys.executable, "-c", APIKEY, "apikey", "create", "--name", "w", "--scopes", "admin"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        key = created.stdout.splitlines()[-1]
        deadline = time.monotonic() + 90  # two workers each load the model, policy and network
        while True:
            try:
                response = httpx.get(
                    f"http://127.0.0.1:{port}/v1/whoami", headers={"Authorization": f"Bearer {key}"}
                )
                break
            except httpx.TransportError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        assert response.status_code == 200
        assert {p.name for p in (tmp_path / "var").iterdir()} >= {
            "connect-risk.db",
            "api-key-pepper",
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
