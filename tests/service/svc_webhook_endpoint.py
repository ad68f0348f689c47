"""Test plumbing shared by the emulator, gateway and dispatcher suites: a loopback webhook
endpoint, a way to empty the session's emulator between tests, and a seeded account the
platform does not control."""

from __future__ import annotations

import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from service.stripe_emulator.server import EmulatorServer
from service.stripe_emulator.spec import find_spec_path


class LoopbackWebhookEndpoint:
    """An HTTP endpoint on a free loopback port; `handle` decides each delivery's status."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = endpoint.handle(body, self.headers.get("Stripe-Signature", ""))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def handle(self, body: bytes, signature: str) -> int:
        raise NotImplementedError

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def empty_emulator(server: EmulatorServer) -> None:
    """Wait for pending webhook deliveries, then drop accounts, keys, logs and faults."""
    with httpx.Client(base_url=server.base_url) as http:
        http.post("/_emulator/flush").raise_for_status()
        http.post("/_emulator/reset").raise_for_status()


def seed_oauth_standard(control: httpx.Client, account_id: str) -> dict[str, Any]:
    """fixtures3.json's account, seeded under `account_id`: a Standard account whose platform
    has no controls (`controller.is_controller` is not true)."""
    fixtures = json.loads((find_spec_path().parent / "fixtures3.json").read_text("utf-8"))
    account = copy.deepcopy(fixtures["resources"]["account"])
    account["id"] = account_id
    account["external_accounts"]["url"] = f"/v1/accounts/{account_id}/external_accounts"
    control.post("/_emulator/accounts", json=account).raise_for_status()
    return account
