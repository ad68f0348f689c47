"""One planned enforcement step: what to send to Stripe (or the review queue), under which key.

Statuses: `planned` (send it), `noop` (the desired state already holds: nothing to send),
`not_controllable` (Stripe would refuse: the platform lacks the needed control), and
`awaiting_review` (a rejection that waits for an analyst's confirmation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

ActionKind = Literal["payout_schedule", "capability", "metadata", "reject", "review"]
ActionStatus = Literal["planned", "not_controllable", "noop", "awaiting_review"]
STRIPE_KINDS: frozenset[str] = frozenset({"payout_schedule", "capability", "metadata", "reject"})


def idempotency_key(decision_id: str, kind: ActionKind, capability: str | None = None) -> str:
    """`{decision_id}:{kind}[:{capability}]`: the same decision and action always get one key,
    so retries (in-process or by the worker after a restart) never apply twice."""
    return f"{decision_id}:{kind}:{capability}" if capability else f"{decision_id}:{kind}"


@dataclass(frozen=True)
class PlannedAction:
    """One action of a decision.

    `params` are the exact Stripe params (for `capability`, the body of
    `POST /v1/accounts/{id}/capabilities/{capability}`); for `review`, the review-queue item.
    Treat them as read-only.
    """

    kind: ActionKind
    account_id: str
    params: Mapping[str, Any]
    idempotency_key: str
    status: ActionStatus
    reason: str
    capability: str | None = None

    @property
    def sends_to_stripe(self) -> bool:
        """Whether the gateway should send this action now."""
        return self.kind in STRIPE_KINDS and self.status == "planned"

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict for the audit record."""
        return {
            "kind": self.kind,
            "account_id": self.account_id,
            "capability": self.capability,
            "params": dict(self.params),
            "idempotency_key": self.idempotency_key,
            "status": self.status,
            "reason": self.reason,
        }


def confirm_rejection(action: PlannedAction) -> PlannedAction:
    """The rejection an analyst confirmed, ready to send under the decision's original key."""
    if action.kind != "reject" or action.status != "awaiting_review":
        raise ValueError(
            f"only a reject awaiting review can be confirmed (got {action.kind}/{action.status})"
        )
    return replace(action, status="planned", reason="rejection confirmed by an analyst")
