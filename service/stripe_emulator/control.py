"""The emulator's own control endpoints under `/_emulator` (JSON in and out, no API key).

- POST /_emulator/accounts      seed a full Account object; `?event=account.updated` also sends
                                that event (a change made on Stripe's side)
- GET  /_emulator/requests      the request log
- GET|POST /_emulator/faults    read or change fault injection
- POST /_emulator/reset         forget accounts, keys and logs
- POST /_emulator/events        send an arbitrary signed event; GET lists events and deliveries
- POST /_emulator/flush         wait until queued webhooks were delivered (or given up)
"""

from __future__ import annotations

import asyncio
import copy
import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .webhooks import previous_attributes

if TYPE_CHECKING:
    from .emulator import Emulator


def _bad(message: str, details: list[str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": {"type": "invalid_request_error", "message": message}}
    if details:
        body["error"]["details"] = details
    return JSONResponse(body, status_code=400)


async def _json_object(request: Request) -> dict[str, Any] | None:
    try:
        data = json.loads(await request.body() or b"{}")
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def control_routes(emu: Emulator) -> list[BaseRoute]:
    """Routes that let tests and demos seed, inspect and steer one emulator."""

    async def seed_account(request: Request) -> Response:
        account = await _json_object(request)
        if account is None or not str(account.get("id", "")).startswith("acct_"):
            return _bad("body must be a JSON Account object with an id starting with acct_")
        problems = emu.validators.response_errors("account", account)
        if problems or account.get("object") != "account":
            return _bad("not a valid Account object", problems[:20] or ["object must be account"])
        previous = emu.state.seed(copy.deepcopy(account))
        event_type = request.query_params.get("event")
        if event_type:
            changed = previous_attributes(previous, account) if previous else None
            emu.emit(event_type, copy.deepcopy(account), previous=changed, account_id=account["id"])
        return JSONResponse(account)

    async def list_requests(_request: Request) -> Response:
        return JSONResponse({"data": list(emu.state.requests)})

    async def faults(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse(emu.faults.describe())
        data = await _json_object(request)
        if data is None:
            return _bad("body must be a JSON object of fault settings")
        try:
            return JSONResponse(emu.faults.update(data))
        except (TypeError, ValueError) as exc:
            return _bad(str(exc))

    async def reset(_request: Request) -> Response:
        emu.state.reset()
        emu.faults.configure(emu.config.faults)
        return JSONResponse({"reset": True})

    async def events(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse({"data": list(emu.state.events)})
        data = await _json_object(request)
        if data is None or not data.get("type") or not isinstance(data.get("data"), dict):
            return _bad("body must be JSON with `type` and `data: {object, previous_attributes?}`")
        obj = data["data"].get("object")
        if not isinstance(obj, dict):
            return _bad("data.object must be a JSON object")
        try:
            event = emu.emit(
                str(data["type"]),
                obj,
                previous=data["data"].get("previous_attributes"),
                account_id=data.get("account"),
                request_id=(data.get("request") or {}).get("id"),
                idempotency_key=(data.get("request") or {}).get("idempotency_key"),
                event_id=data.get("id"),
                created=data.get("created"),
            )
        except ValueError as exc:
            return _bad(str(exc))
        return JSONResponse(event)

    async def flush(request: Request) -> Response:
        timeout = float(request.query_params.get("timeout", "10"))
        if emu.sender is None:
            return JSONResponse({"flushed": True, "webhooks": False})
        done = await asyncio.to_thread(emu.sender.flush, timeout)
        return JSONResponse({"flushed": done, "webhooks": True})

    return [
        Route("/_emulator/accounts", seed_account, methods=["POST"]),
        Route("/_emulator/requests", list_requests, methods=["GET"]),
        Route("/_emulator/faults", faults, methods=["GET", "POST"]),
        Route("/_emulator/reset", reset, methods=["POST"]),
        Route("/_emulator/events", events, methods=["GET", "POST"]),
        Route("/_emulator/flush", flush, methods=["POST"]),
    ]
