"""The port the service uses to reach Stripe, and the record of one applied action."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from service.domain.actions import PlannedAction

ResultStatus = Literal["applied", "failed", "not_controllable", "dry_run"]


@dataclass(frozen=True)
class ActionResult:
    """What happened to one planned action.

    `retryable` marks failures a later attempt with the same idempotency key may fix (429, 5xx,
    connection); other failures need a person or a new decision.
    `replayed` is true when Stripe answered from its idempotency store (an earlier attempt had
    already been applied).
    """

    status: ResultStatus
    idempotency_key: str
    attempts: int = 0
    http_status: int | None = None
    stripe_request_id: str | None = None
    error_code: str | None = None
    message: str | None = None
    response_excerpt: Mapping[str, Any] = field(default_factory=dict)
    retryable: bool = False
    replayed: bool = False

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict for the audit record."""
        return {
            "status": self.status,
            "idempotency_key": self.idempotency_key,
            "attempts": self.attempts,
            "http_status": self.http_status,
            "stripe_request_id": self.stripe_request_id,
            "error_code": self.error_code,
            "message": self.message,
            "response_excerpt": dict(self.response_excerpt),
            "retryable": self.retryable,
            "replayed": self.replayed,
        }


class StripeGateway(Protocol):
    """What the service needs from Stripe. Only actions with `sends_to_stripe` may be applied."""

    def retrieve_account(self, account_id: str) -> dict[str, Any]:
        """The Account object as a plain dict; raises AccountNotFound, StripeUnavailable…"""
        ...

    def list_capabilities(self, account_id: str) -> list[dict[str, Any]]:
        """The account's Capability objects (they carry `requested`, the hash does not)."""
        ...

    def apply(self, action: PlannedAction) -> ActionResult:
        """Send one planned action under its idempotency key; never raises for Stripe's answers."""
        ...


def check_sendable(action: PlannedAction) -> None:
    """Refuse actions that must not reach Stripe (noop, not_controllable, awaiting review…)."""
    if not action.sends_to_stripe:
        raise ValueError(
            f"action {action.idempotency_key} ({action.kind}, {action.status}) is not to be sent"
        )
