"""Stripe-shaped API errors: one exception type and the constructors for the errors we answer with.

Every body validates against the spec's `error` schema, whose `type` enum has only `api_error`,
`card_error`, `idempotency_error` and `invalid_request_error`. Real Stripe therefore answers 401,
403 and 429 with `invalid_request_error` too; the SDK picks its exception class from the status.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

DOCS = "https://docs.stripe.com/error-codes"


@dataclass(eq=False)
class StripeError(Exception):
    """An error response: HTTP status plus the `error` object Stripe would send."""

    status: int
    message: str
    type: str = "invalid_request_error"
    param: str | None = None
    code: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        """The JSON body `{"error": {...}}`, omitting absent fields as Stripe does."""
        error: dict[str, Any] = {"message": self.message, "type": self.type}
        if self.param is not None:
            error["param"] = self.param
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"{DOCS}/{self.code.replace('_', '-')}"
        return {"error": error}


def param_name(path: Sequence[str | int]) -> str:
    """Render a parameter path as Stripe does: `settings[payouts][schedule][interval]`."""
    if not path:
        return ""
    head, *rest = (str(part) for part in path)
    return head + "".join(f"[{part}]" for part in rest)


def unknown_parameters(names: Sequence[str]) -> StripeError:
    """400 for parameters the operation does not know (top level or nested)."""
    if len(names) == 1:
        message = f"Received unknown parameter: {names[0]}"
    else:
        message = f"Received unknown parameters: {', '.join(names)}"
    return StripeError(400, message, param=names[0], code="parameter_unknown")


def missing_parameter(name: str) -> StripeError:
    """400 for a required parameter that was not sent."""
    return StripeError(
        400, f"Missing required param: {name}.", param=name, code="parameter_missing"
    )


def invalid_empty(name: str) -> StripeError:
    """400 for an empty string where the parameter cannot be unset (Stripe's own wording)."""
    message = (
        f"You passed an empty string for '{name}'. We assume empty values are an attempt to "
        f"unset a parameter; however '{name}' cannot be unset. You should remove '{name}' from "
        "your request or supply a non-empty value."
    )
    return StripeError(400, message, param=name, code="parameter_invalid_empty")


def invalid_parameter(name: str, message: str, code: str | None = None) -> StripeError:
    """400 for a parameter whose value is of the wrong type, length or enum."""
    return StripeError(400, message, param=name, code=code)


def resource_missing(kind: str, object_id: str, param: str) -> StripeError:
    """404 for an unknown object id, e.g. `No such account: 'acct_x'`."""
    return StripeError(404, f"No such {kind}: '{object_id}'", param=param, code="resource_missing")


def unrecognized_url(method: str, path: str) -> StripeError:
    """404 for a route the emulator (like Stripe) does not serve."""
    return StripeError(
        404,
        f"Unrecognized request URL ({method}: {path}). Please see https://docs.stripe.com/api.",
    )


def missing_api_key() -> StripeError:
    """401 when no key was sent."""
    return StripeError(
        401,
        "You did not provide an API key. You need to provide your API key in the Authorization "
        "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        headers={"WWW-Authenticate": 'Bearer realm="Stripe"'},
    )


def invalid_api_key(key: str) -> StripeError:
    """401 for a key that is not a test-mode secret key; only its last 4 characters are echoed."""
    shown = f"{key[:8]}****{key[-4:]}" if len(key) > 12 else "****"
    return StripeError(
        401,
        f"Invalid API Key provided: {shown}",
        headers={"WWW-Authenticate": 'Bearer realm="Stripe"'},
    )


def permission_denied(account_id: str, what: str, param: str | None) -> StripeError:
    """403 when the platform does not control the account (`controller.is_controller` not true)."""
    return StripeError(
        403,
        f"This application does not have the required permissions to {what} on account "
        f"'{account_id}': the platform does not control this account "
        "(controller.is_controller is not true).",
        param=param,
    )


def rate_limited() -> StripeError:
    """429 as Stripe's rate limiter answers."""
    return StripeError(
        429,
        "Request rate limit exceeded. You can learn more about rate limits here "
        "https://docs.stripe.com/rate-limits.",
        code="rate_limit",
    )


def api_error(message: str = "An unknown error occurred") -> StripeError:
    """500 api_error, as Stripe sends for its own failures."""
    return StripeError(500, message, type="api_error")


def idempotency_mismatch(key: str, original: str, current: str) -> StripeError:
    """400 idempotency_error for a reused key with other parameters or another endpoint."""
    if original != current:
        message = (
            "Keys for idempotent requests can only be used for the same endpoint they were first "
            f"used for ('{original}' vs '{current}'). Try using a key other than '{key}' if you "
            "meant to execute a different request."
        )
    else:
        message = (
            "Keys for idempotent requests can only be used with the same parameters they were "
            f"first used with. Try using a key other than '{key}' if you meant to execute a "
            "different request."
        )
    return StripeError(400, message, type="idempotency_error")


def idempotency_key_too_long() -> StripeError:
    """400 for an Idempotency-Key longer than Stripe's 255 characters."""
    return StripeError(
        400, "Idempotency-Key must be at most 255 characters long.", param="Idempotency-Key"
    )
