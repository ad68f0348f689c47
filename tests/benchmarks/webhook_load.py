"""Load generator for the webhook benchmark, run as a process of its own.

`python webhook_load.py URL SECRET COUNT CONCURRENCY PREFIX` signs COUNT distinct events up
front, then sends them over CONCURRENCY keep-alive HTTP/1.1 connections as fast as the server
answers, and prints one JSON line: elapsed seconds and the count of each status. Requests are
plain bytes written to asyncio streams: an HTTP client library would spend more CPU per
request than the server under test, on a machine whose cores both sides share.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlsplit

PATH = "/v1/webhooks/stripe"


def event(event_id: str, created: int) -> bytes:
    """A payout.paid event on a connected account, like those Stripe sends."""
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "api_version": "2025-03-31.basil",
            "type": "payout.paid",
            "created": created,
            "account": "acct_bench",
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "data": {
                "object": {
                    "id": "po_" + event_id.removeprefix("evt_"),
                    "object": "payout",
                    "amount": 1100,
                    "currency": "usd",
                    "arrival_date": created,
                    "created": created,
                    "method": "standard",
                    "status": "paid",
                    "type": "bank_account",
                }
            },
        }
    ).encode()


def signed_requests(host: str, secret: str, count: int, prefix: str) -> list[bytes]:
    """COUNT complete HTTP requests, each with a distinct event and its Stripe-Signature."""
    stamp = int(time.time())
    requests = []
    for number in range(count):
        body = event(f"evt_{prefix}_{number:07d}", stamp)
        mac = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
        head = (
            f"POST {PATH} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Stripe-Signature: t={stamp},v1={mac}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        requests.append(head.encode() + body)
    return requests


async def _connection(host: str, port: int, queue: list[bytes], statuses: Counter[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while queue:
            writer.write(queue.pop())
            status_line = await reader.readline()
            statuses[int(status_line.split()[1])] += 1
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
    finally:
        writer.close()


async def send_all(url: str, requests: list[bytes], concurrency: int) -> tuple[float, Counter[int]]:
    """Send every request over `concurrency` connections; (elapsed seconds, statuses)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    queue = list(reversed(requests))
    statuses: Counter[int] = Counter()
    started = time.perf_counter()
    await asyncio.gather(*(_connection(host, port, queue, statuses) for _ in range(concurrency)))
    return time.perf_counter() - started, statuses


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    # uvloop (installed with uvicorn) leaves more of the shared CPU to the server under test.
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def main(argv: list[str]) -> int:
    """Sign, send, and print `{"elapsed": s, "statuses": {code: n}}`."""
    url, secret, count, concurrency, prefix = argv
    host = urlsplit(url).netloc
    requests = signed_requests(host, secret, int(count), prefix)
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        elapsed, statuses = runner.run(send_all(url, requests, int(concurrency)))
    print(json.dumps({"elapsed": elapsed, "statuses": dict(statuses)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
