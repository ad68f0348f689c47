"""The service's error hierarchy; `service.api.problems` maps it to HTTP once.

* ConnectRiskError
  + InvalidInput ............ 422  a request that parsed but makes no sense
  + NotFound ................ 404
    - UnknownAccount
    - UnknownDecision
    - UnknownApiKey
  + Unauthorized ............ 401  missing, malformed, unknown or revoked API key
  + Forbidden ............... 403  a valid key without the scope the route needs
  + PayloadTooLarge ......... 413  a body over the route's size limit
  + Unavailable ............. 503  try again later (sent with Retry-After)
    - StoreUnavailable        the database cannot be reached
    - ModelNotReady           no champion model is loaded
    - ParsersBusy             every document parser is busy (hostile or large uploads)
    - NetworkNotReady         the cross-account network is not built yet
  + ConfigurationError ...... 500  settings the process cannot run with (raised at start-up)

A message says what went wrong in terms the caller can act on. Messages never carry document
contents, account data, names, e-mail addresses or key secrets, because they end up in responses
and logs.
"""

from __future__ import annotations

from typing import ClassVar


class ConnectRiskError(Exception):
    """Base of every error the service raises on purpose."""

    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal error"
    slug: ClassVar[str] = "internal-error"


class InvalidInput(ConnectRiskError):
    """A request body or parameter that is well-formed but not acceptable; `loc` names it
    (e.g. `("body", "as_of")`) when one field is to blame."""

    status = 422
    title = "Invalid input"
    slug = "invalid-input"

    def __init__(self, message: str, *, loc: tuple[str | int, ...] | None = None) -> None:
        super().__init__(message)
        self.loc = loc


class NotFound(ConnectRiskError):
    """A named record that does not exist."""

    status = 404
    title = "Not found"
    slug = "not-found"


class UnknownAccount(NotFound):
    """No record of this connected account."""

    title = "Unknown account"
    slug = "unknown-account"


class UnknownDecision(NotFound):
    """No decision with this id."""

    title = "Unknown decision"
    slug = "unknown-decision"


class UnknownApiKey(NotFound):
    """No API key with this key id."""

    title = "Unknown API key"
    slug = "unknown-api-key"


class Unauthorized(ConnectRiskError):
    """The request carries no valid API key."""

    status = 401
    title = "Unauthorized"
    slug = "unauthorized"


class InvalidToken(Unauthorized):
    """A key was sent but is malformed, unknown or revoked (RFC 6750's `invalid_token`)."""


class Forbidden(ConnectRiskError):
    """The API key is valid but lacks the scope this operation needs."""

    status = 403
    title = "Forbidden"
    slug = "forbidden"

    def __init__(self, message: str, *, scope: str) -> None:
        super().__init__(message)
        self.scope = scope


class PayloadTooLarge(ConnectRiskError):
    """The request body is over the route's limit."""

    status = 413
    title = "Payload too large"
    slug = "payload-too-large"


class Unavailable(ConnectRiskError):
    """A dependency is not ready; the same request may succeed later."""

    status = 503
    title = "Service unavailable"
    slug = "unavailable"
    retry_after_seconds: ClassVar[int] = 5


class StoreUnavailable(Unavailable):
    """The database cannot be reached or refused the connection."""

    title = "Database unavailable"
    slug = "store-unavailable"


class ModelNotReady(Unavailable):
    """No champion model is loaded, so nothing can be scored."""

    title = "Model not ready"
    slug = "model-not-ready"


class NetworkNotReady(Unavailable):
    """The cross-account network behind link features is not built yet (start-up, or the
    database was down then): a score now would take every link as unknown."""

    title = "Network not ready"
    slug = "network-not-ready"


class ParsersBusy(Unavailable):
    """Every document parser stayed busy while an upload waited; nothing was stored."""

    title = "Document parsers busy"
    slug = "parsers-busy"


class ConfigurationError(ConnectRiskError):
    """Settings the process refuses to run with; raised while starting, never per request."""

    title = "Configuration error"
    slug = "configuration-error"
