"""State file persistence across restarts, and the `stripe-emulator` CLI wiring."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
import stripe

from service.stripe_emulator import cli
from service.stripe_emulator.config import EmulatorConfig
from service.stripe_emulator.server import EmulatorServer
from service.stripe_emulator.state import EmulatorState


def _client(server: EmulatorServer) -> stripe.StripeClient:
    return stripe.StripeClient("sk_test_state", base_addresses={"api": server.base_url})


def test_state_survives_a_restart(tmp_path: Path) -> None:
    config = EmulatorConfig(
        port=0, state_file=tmp_path / "stripe.json", capability_review_seconds=None
    )
    options = {"idempotency_key": "create-once"}
    with EmulatorServer(config) as first:
        created = _client(first).v1.accounts.create({"type": "express"}, options)
        _client(first).v1.accounts.capabilities.update(created.id, "transfers", {"requested": True})
    with EmulatorServer(config) as second:
        again = _client(second).v1.accounts.create({"type": "express"}, options)
        assert again.id == created.id  # the saved response is replayed after the restart
        capability = _client(second).v1.accounts.capabilities.retrieve(created.id, "transfers")
        assert (capability.status, capability.requested) == ("pending", True)


def test_unreadable_state_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="state.json"):
        EmulatorState(path)


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="connect-risk")
    cli.add_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["stripe-emulator", *argv])


def test_cli_arguments_become_the_config(tmp_path: Path) -> None:
    args = _parse(
        "--port", "0", "--webhook-url", "http://127.0.0.1:9/hook", "--webhook-secret", "whsec_1",
        "--fault-429-rate", "0.1", "--fault-500-rate", "0.2", "--latency-ms", "5", "--seed", "3",
        "--state-file", str(tmp_path / "s.json"),
    )  # fmt: skip
    config = cli.config_from_args(args)
    assert args.handler is cli.run
    assert (config.faults.rate_429, config.faults.rate_500, config.faults.latency_ms) == (
        0.1,
        0.2,
        5.0,
    )
    assert (config.webhook_secret, config.seed, config.state_file) == (
        "whsec_1",
        3,
        tmp_path / "s.json",
    )


def test_cli_refuses_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        _parse("--fault-429-rate", "1.5")
    assert caught.value.code == 2
    missing = tmp_path / "missing-spec.json"
    assert cli.run(_parse("--spec", str(missing))) == 2
    assert str(missing) in capsys.readouterr().err
    assert cli.run(_parse("--webhook-url", "http://127.0.0.1:9/hook")) == 2
