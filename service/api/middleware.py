"""Per-request latency metrics, the access log and the last-resort 500, all free of data.

Paths carry account ids and query strings may carry anything, so neither is logged; the route
template (`/v1/accounts/{account}`), status, duration and the caller's key id are. An unhandled
exception is logged by type and stack frames only: its message may quote account data (pydantic
and database errors repeat their input).
"""

from __future__ import annotations

import logging
import time

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.metrics import Metrics
from service.api.problems import problem_response
from service.log_safety import failure_without_message

access_log = logging.getLogger("service.api.access")
logger = logging.getLogger(__name__)

UNMATCHED = "unmatched"  # one label for every unknown path, so scanners cannot grow the series


class RequestTelemetryMiddleware:
    """Time and log each HTTP request under its route template; turn crashes into a bare 500."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_and_note_status(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status, response_started = message["status"], True
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        except Exception as exc:
            logger.error("unhandled %s", failure_without_message(exc))
            if response_started:
                raise
            status = 500
            response = problem_response(
                Request(scope), status=500, title="Internal error", slug="internal-error"
            )
            await response(scope, receive, send)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", UNMATCHED)
            self.metrics.request_duration.labels(
                method=scope["method"], route=route, status=str(status)
            ).observe(elapsed)
            key_id = scope.get("state", {}).get("api_key_id", "-")
            access_log.info(
                "%s %s %d %.1fms key=%s", scope["method"], route, status, elapsed * 1000, key_id
            )


class SecurityHeadersMiddleware:
    """Headers every answer carries: no MIME sniffing, and no caching of `/v1` answers (they
    carry account data, and once a new API key) by browsers or shared proxies."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = scope["path"].startswith("/v1/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", ()), (b"x-content-type-options", b"nosniff")]
                if private:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
