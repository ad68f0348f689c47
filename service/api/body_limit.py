"""Request body size limits, answered with a problem+json 413 before the body is read.

A declared Content-Length over the limit is refused at once; a streamed (chunked) body is
counted as it arrives and refused as soon as it passes the limit. The limit is per path: a
default for JSON bodies, larger ones for routes that take uploads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.problems import payload_too_large_response


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes its limit.

    An HTTPException, because FastAPI re-raises those from body parsing unchanged (anything
    else becomes a 400); the problem handlers then answer it as a 413.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413)
        self.limit = limit


@dataclass(frozen=True)
class BodyLimits:
    """The default limit in bytes and per-path exceptions (first matching pattern wins)."""

    default: int
    by_path: Sequence[tuple[re.Pattern[str], int]] = ()

    def for_path(self, path: str) -> int:
        """The limit for a request to `path`."""
        for pattern, limit in self.by_path:
            if pattern.fullmatch(path):
                return limit
        return self.default


class BodyLimitMiddleware:
    """Refuse request bodies over the limit for their path with 413."""

    def __init__(self, app: ASGIApp, *, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_path(scope["path"])
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            response = payload_too_large_response(Request(scope), limit)
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counting_receive, send)
