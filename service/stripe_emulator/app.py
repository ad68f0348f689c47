"""The ASGI app: Stripe's `/v1` Accounts endpoints behind auth, faults, validation, idempotency.

Request pipeline: latency -> API key -> injected fault -> decode -> idempotency replay/mismatch ->
validate against spec3.json -> operation -> response check -> commit -> save under the key ->
events. An answer that fails its check commits nothing.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from . import errors
from .config import EmulatorConfig
from .control import control_routes
from .emulator import Emulator
from .forms import decode_form, parse_pairs
from .idempotency import SavedResponse, fingerprint
from .operations import AccountOperations, Outcome

Run = Callable[[AccountOperations, dict[str, str], dict[str, Any], int], Outcome]


@dataclass(frozen=True)
class Endpoint:
    """One Stripe operation: method, spec path template, and what runs it."""

    method: str
    path: str
    run: Run


ENDPOINTS = (
    Endpoint("POST", "/v1/accounts", lambda ops, _p, params, now: ops.create(params, now)),
    Endpoint("GET", "/v1/accounts", lambda ops, _p, params, _n: ops.list_accounts(params)),
    Endpoint("GET", "/v1/accounts/{account}", lambda ops, p, _q, _n: ops.retrieve(p["account"])),
    Endpoint(
        "POST",
        "/v1/accounts/{account}",
        lambda ops, p, params, now: ops.update(p["account"], params, now),
    ),
    Endpoint(
        "GET",
        "/v1/accounts/{account}/capabilities",
        lambda ops, p, _q, _n: ops.list_capabilities(p["account"]),
    ),
    Endpoint(
        "GET",
        "/v1/accounts/{account}/capabilities/{capability}",
        lambda ops, p, _q, _n: ops.retrieve_capability(p["account"], p["capability"]),
    ),
    Endpoint(
        "POST",
        "/v1/accounts/{account}/capabilities/{capability}",
        lambda ops, p, params, now: ops.update_capability(
            p["account"], p["capability"], params, now
        ),
    ),
    Endpoint(
        "POST",
        "/v1/accounts/{account}/reject",
        lambda ops, p, params, _n: ops.reject(p["account"], params),
    ),
    Endpoint(
        "POST",
        "/v1/accounts/{account}/unreject",
        lambda ops, p, _q, _n: ops.unreject(p["account"]),
    ),
)


def authenticate(header: str | None) -> str:
    """The API key of a request (Bearer, or Basic as curl sends it); 401 unless `sk_test_…`."""
    if not header:
        raise errors.missing_api_key()
    scheme, _, credentials = header.partition(" ")
    key = credentials.strip()
    if scheme.lower() == "basic":
        with contextlib.suppress(ValueError):
            key = base64.b64decode(key).decode().split(":", 1)[0]
    elif scheme.lower() != "bearer":
        raise errors.invalid_api_key(header)
    if not key.startswith("sk_test_") or len(key) <= len("sk_test_"):
        raise errors.invalid_api_key(key)
    return key


async def _read_params(request: Request) -> dict[str, Any]:
    if request.method == "GET":
        return decode_form(parse_pairs(request.url.query))
    content_type = request.headers.get("content-type", "application/x-www-form-urlencoded")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        raise errors.StripeError(
            400,
            f"Invalid request: unsupported Content-Type {content_type}. Send form-encoded data.",
        )
    body = (await request.body()).decode("utf-8", errors="replace")
    return decode_form(parse_pairs(body))


class Pipeline:
    """Runs one endpoint request through the emulator, as Stripe's API front end would."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    async def handle(self, request: Request, endpoint: Endpoint | None) -> Response:
        """Answer one `/v1` request; every outcome is logged."""
        emu = self.emulator
        request_id = emu.ids.request()
        key = request.headers.get("idempotency-key") if request.method == "POST" else None
        entry: dict[str, Any] = {
            "request_id": request_id,
            "method": request.method,
            "path": request.url.path,
            "idempotency_key": key,
            "status": None,
            "mutated": False,
            "replayed": False,
            "fault": None,
            "time": time.time(),
        }
        headers = {"Request-Id": request_id, "Stripe-Version": emu.config.api_version}
        if key:
            headers["Idempotency-Key"] = key
        outcome: Outcome | None = None
        executing = committed = False
        try:
            await asyncio.sleep(emu.faults.latency_seconds())
            api_key = authenticate(request.headers.get("authorization"))
            fault = emu.faults.draw()
            if fault is not None:
                entry["fault"] = fault.status
                raise fault
            if endpoint is None:
                raise errors.unrecognized_url(request.method, request.url.path)
            raw = await _read_params(request)
            endpoint_name = f"{request.method} {request.url.path}"
            if key and len(key) > 255:
                raise errors.idempotency_key_too_long()
            if key:
                saved = emu.state.idempotency.lookup(
                    api_key, key, endpoint_name, fingerprint(raw), time.time()
                )
                if saved is not None:
                    entry.update(status=saved.status, replayed=True)
                    headers.update(
                        {"Idempotent-Replayed": "true", "Original-Request": saved.request_id}
                    )
                    return self._respond(entry, saved.body, saved.status, headers)
            params = emu.validators.parse_request(endpoint.path, endpoint.method.lower(), raw)
            executing = True
            now = int(time.time())
            outcome = endpoint.run(emu.operations, dict(request.path_params), params, now)
            status, body = 200, self.checked_body(endpoint, outcome.body)
            committed = emu.commit(outcome)
        except errors.StripeError as error:
            status, body = error.status, error.body()
            headers.update(error.headers)
        text = json.dumps(body, indent=2)
        if key and executing:
            saved = SavedResponse(
                endpoint_name, fingerprint(raw), status, text, request_id, time.time()
            )
            emu.state.idempotency.save(api_key, key, saved)
            emu.state.persist()
        entry.update(status=status, mutated=committed)
        if outcome is not None and status == 200:
            emu.emit_outcome(outcome, request_id, key)
        return self._respond(entry, text, status, headers)

    def checked_body(self, endpoint: Endpoint, body: dict[str, Any]) -> dict[str, Any]:
        """The body, or a 500 naming the mismatch if it breaks the spec's response schema."""
        if not self.emulator.config.validate_responses:
            return body
        problems = self.emulator.validators.response_errors(
            f"{endpoint.method} {endpoint.path}", body
        )
        if problems:
            raise errors.api_error(f"Emulator response does not match the spec: {problems[:3]}")
        return body

    def _respond(
        self, entry: dict[str, Any], text: str, status: int, headers: dict[str, str]
    ) -> Response:
        self.emulator.state.log_request(entry)
        return Response(text, status_code=status, headers=headers, media_type="application/json")


def _api_routes(pipeline: Pipeline) -> list[BaseRoute]:
    by_path: dict[str, dict[str, Endpoint]] = {}
    for endpoint in ENDPOINTS:
        by_path.setdefault(endpoint.path, {})[endpoint.method] = endpoint
    routes: list[BaseRoute] = []
    for path, methods in by_path.items():

        async def handler(request: Request, methods: dict[str, Endpoint] = methods) -> Response:
            return await pipeline.handle(request, methods.get(request.method))

        routes.append(Route(path, handler, methods=["GET", "POST", "DELETE"]))

    async def unknown(request: Request) -> Response:
        return await pipeline.handle(request, None)

    routes.append(Route("/v1/{rest:path}", unknown, methods=["GET", "POST", "DELETE"]))
    return routes


def create_app(config: EmulatorConfig | None = None, emulator: Emulator | None = None) -> Starlette:
    """The ASGI app for one emulator (built from config, or around an existing Emulator)."""
    emu = emulator or Emulator(config or EmulatorConfig())

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            emu.close()

    routes = [*control_routes(emu), *_api_routes(Pipeline(emu))]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.emulator = emu
    return app
