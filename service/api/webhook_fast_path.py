"""The webhook route served ahead of FastAPI's routing: the same ingest code, a shorter stack.

Stripe's deliveries are the one request the service receives in bursts of thousands per second.
Profiling `POST /v1/webhooks/stripe` showed FastAPI's layers (route matching across every
router, dependency solving, the exception and exit-stack middlewares) costing as much CPU as
the handler itself, and the event loop that runs them is what limits acknowledgements per
second. This middleware, outermost among the app's own, sends that one path straight to the
handler, wrapped in the service's own body-limit and telemetry middlewares and answering errors
through the app's registered exception handlers; so responses, 413s, problem details, metrics
and the access log are those of the regular route. Every other request passes through
untouched, and the APIRoute in service.api.routes.webhooks stays for the OpenAPI document (and
serves the path in an app built without this middleware).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.body_limit import BodyLimitMiddleware, BodyLimits
from service.api.metrics import Metrics
from service.api.middleware import RequestTelemetryMiddleware
from service.api.routes.webhooks import PATH, answer, ingest


@dataclass(frozen=True)
class _RouteLabel:
    # The telemetry middleware labels requests with `scope["route"].path`.
    path: str


_ROUTE = _RouteLabel(PATH)


class WebhookFastPath:
    """Serve `POST /v1/webhooks/stripe` directly; pass everything else to the app."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, limits: BodyLimits) -> None:
        self.app = app
        self.webhook = RequestTelemetryMiddleware(
            BodyLimitMiddleware(_handle, limits=limits), metrics=metrics
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH and scope["method"] == "POST":
            await self.webhook(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _acknowledgement(body: bytes) -> tuple[Message, Message]:
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    start: Message = {"type": "http.response.start", "status": 200, "headers": headers}
    return start, {"type": "http.response.body", "body": body}


# Both possible answers as ready ASGI messages: no Response object per delivery.
_ANSWERS = {inserted: _acknowledgement(answer(inserted)) for inserted in (True, False)}


async def _handle(scope: Scope, receive: Receive, send: Send) -> None:
    scope["route"] = _ROUTE
    try:
        body = await _read_body(receive)
        inserted = await ingest(scope["app"].state, body, _signature(scope))
    except Exception as exc:
        response = await _answer(Request(scope, receive), exc)
        await response(scope, receive, send)
        return
    start, message = _ANSWERS[inserted]
    await send(start)
    await send(message)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _signature(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"stripe-signature":
            return str(value.decode("latin-1"))
    return None


async def _answer(request: Request, exc: Exception) -> Response:
    # The handler the app registered for the most specific class of `exc`, as Starlette's
    # exception middleware would pick it; with none, the telemetry middleware answers 500.
    handlers = request.app.exception_handlers
    for cls in type(exc).__mro__:
        handler = handlers.get(cls)
        if handler is not None and cls is not Exception:
            response: Response = await handler(request, exc)
            return response
    raise exc
