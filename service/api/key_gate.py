"""A request under /v1 without a well-formed API key is refused before its body is read.

FastAPI parses and validates a route's body before it solves the route's dependencies, so the
key check came after: an anonymous caller had its JSON parsed (up to the body limit) and got
the schema's field errors back. This gate answers 401 first when the `Authorization` header is
missing or holds no well-formed `cr_live_…` token. It only reads the header: whether the key
exists, is revoked or has the scope is still decided by `service.api.deps.get_current_key`
after the body. Stripe's webhook deliveries carry a signature, not a key, and pass.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from service.api.deps import BAD_KEY, NO_KEY
from service.api.problems import error_response
from service.api.routes.webhooks import PATH as WEBHOOK_PATH
from service.auth.tokens import key_id_of
from service.errors import InvalidToken, Unauthorized


class KeyBeforeBody:
    """Answer 401 to a `/v1` request without a well-formed bearer token, before its body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/v1/") or path == WEBHOOK_PATH:
            await self.app(scope, receive, send)
            return
        refusal = _refusal(Headers(scope=scope).get("authorization"))
        if refusal is None:
            await self.app(scope, receive, send)
            return
        refused = InvalidToken(refusal) if refusal == BAD_KEY else Unauthorized(refusal)
        response = error_response(Request(scope), refused)
        await response(scope, receive, send)


def _refusal(authorization: str | None) -> str | None:
    """Why this header carries no usable key, or None when it holds a well-formed token."""
    if not authorization:
        return NO_KEY
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return NO_KEY
    return None if key_id_of(token.strip()) is not None else BAD_KEY
