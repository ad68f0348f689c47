"""Errors as RFC 9457 problem details (`application/problem+json`), mapped in one place."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import (
    ConnectRiskError,
    Forbidden,
    InvalidInput,
    InvalidToken,
    PayloadTooLarge,
    StoreUnavailable,
    Unauthorized,
    Unavailable,
)

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:connect-risk:problem:"

logger = logging.getLogger(__name__)


class FieldError(BaseModel):
    """One invalid field: where it is (`["body", "scopes", 0]`), what is wrong, which check."""

    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem; `errors` lists the invalid fields of a 422."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting problem+json answers for these statuses."""
    # `model` registers the Problem schema in the components; the content entry points the
    # problem+json media type at it.
    problem_schema = {"schema": {"$ref": "#/components/schemas/Problem"}}
    return {
        status: {
            "model": Problem,
            "content": {PROBLEM_JSON: problem_schema},
            "description": HTTPStatus(status).phrase,
        }
        for status in statuses
    }


def problem_response(
    request: Request,
    *,
    status: int,
    title: str,
    slug: str | None,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A problem+json response; `slug=None` means the plain HTTP meaning (`about:blank`)."""
    problem = Problem(
        type=f"{TYPE_PREFIX}{slug}" if slug else "about:blank",
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _headers_for(exc: ConnectRiskError) -> dict[str, str]:
    if isinstance(exc, Forbidden):
        return {"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{exc.scope}"'}
    if isinstance(exc, InvalidToken):
        return {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    if isinstance(exc, Unauthorized):
        # No key at all: RFC 6750 asks for the bare challenge, without an error code.
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(exc, Unavailable):
        return {"Retry-After": str(exc.retry_after_seconds)}
    return {}


def error_response(request: Request, exc: ConnectRiskError) -> JSONResponse:
    """The problem+json answer to one of the service's errors (status, type, headers)."""
    errors = None
    if isinstance(exc, InvalidInput) and exc.loc is not None:
        errors = [FieldError(loc=list(exc.loc), msg=str(exc), type="value_error")]
    return problem_response(
        request,
        status=exc.status,
        title=exc.title,
        slug=exc.slug,
        detail=str(exc) or None,
        headers=_headers_for(exc),
        errors=errors,
    )


async def _service_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ConnectRiskError)
    return error_response(request, exc)


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type and not _is_json(media_type) and _body_itself_invalid(exc):
        # FastAPI hands a non-JSON body to the model as bytes; "Input should be a valid
        # dictionary" would hide what is actually wrong.
        return problem_response(
            request,
            status=415,
            title="Unsupported media type",
            slug="unsupported-media-type",
            detail=f"{media_type} is not accepted; send the body as application/json",
        )
    # Only where and what: pydantic's `input` would echo the caller's data into the response.
    errors = [
        FieldError(loc=list(error["loc"]), msg=error["msg"], type=error["type"])
        for error in exc.errors()
    ]
    return problem_response(
        request,
        status=422,
        title="Invalid input",
        slug="invalid-input",
        detail=f"{len(errors)} invalid field{'s' if len(errors) != 1 else ''}",
        errors=errors,
    )


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _body_itself_invalid(exc: RequestValidationError) -> bool:
    return any(tuple(error["loc"]) == ("body",) for error in exc.errors())


def payload_too_large_response(request: Request, limit: int | None) -> JSONResponse:
    """The 413 problem for a body over `limit` bytes."""
    detail = f"the request body is over this route's limit of {limit} bytes" if limit else ""
    return error_response(request, PayloadTooLarge(detail))


# FastAPI's words for a JSON body it could not decode at all (not UTF-8, nested too deeply).
_UNREADABLE_BODY = "There was an error parsing the body"


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 413:
        return payload_too_large_response(request, getattr(exc, "limit", None))
    if exc.status_code == 400:
        # The framework's own 400s are bodies it could not parse (JSON, multipart); our code
        # raises ConnectRiskError instead. Answered as any other invalid body is: a 422 with
        # the body's path, as FastAPI already answers truncated JSON.
        unreadable = exc.detail == _UNREADABLE_BODY
        message = "the body is not UTF-8 JSON, or nests too deeply" if unreadable else exc.detail
        return problem_response(
            request,
            status=422,
            title="Invalid input",
            slug="invalid-input",
            detail=message,
            errors=[FieldError(loc=["body"], msg=message, type="body_unreadable")],
        )
    phrase = HTTPStatus(exc.status_code).phrase
    headers = dict(exc.headers or {})
    detail = str(exc.detail) if exc.detail != phrase else _plain_detail(request, exc, headers)
    return problem_response(
        request,
        status=exc.status_code,
        title=phrase,
        slug=None,
        detail=detail,
        headers=headers,
    )


def _plain_detail(request: Request, exc: StarletteHTTPException, headers: dict[str, str]) -> str:
    # Every problem has a `detail` a person can act on, the router's own 404 and 405 too.
    if exc.status_code == 404:
        return f"nothing is served at {request.url.path}; see /docs for the routes"
    if exc.status_code == 405:
        allowed = headers.get("allow") or headers.get("Allow") or "none"
        return f"{request.method} is not allowed on {request.url.path} (allowed: {allowed})"
    return HTTPStatus(exc.status_code).phrase


async def _store_unreachable(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("database unreachable: %s", type(exc).__name__)
    return error_response(request, StoreUnavailable("the database is unreachable"))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Crashes in routes are answered by RequestTelemetryMiddleware; this catches the rest
    # (a middleware failing), still telling the client no more than that it was our fault.
    logger.error("unhandled %s", type(exc).__name__)
    return problem_response(request, status=500, title="Internal error", slug="internal-error")


def register_exception_handlers(app: FastAPI) -> None:
    """Answer every error the service can raise as problem+json.

    Database connection failures anywhere become 503 with Retry-After, so clients (and Stripe's
    webhook deliveries) come back later instead of giving up.
    """
    app.add_exception_handler(ConnectRiskError, _service_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for unreachable in (OperationalError, InterfaceError, PoolTimeoutError):
        app.add_exception_handler(unreachable, _store_unreachable)
    app.add_exception_handler(Exception, _unexpected)
