"""Decisions and the Stripe actions they planned, as risk operations read them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from service.api.schemas.common import ListPublic
from service.db.models import Action, ActionAttempt, Decision
from service.usecases.score_account import reason_description


class ActionPublic(BaseModel):
    """One Stripe action of a decision: what it sends, where it stands, Stripe's answer."""

    id: str
    kind: str
    capability: str | None = Field(
        description="The capability a `capability` action requests or un-requests"
    )
    params: dict[str, Any]
    reason: str | None = Field(
        description="Why the policy planned it (null for actions recorded before reasons were kept)"
    )
    status: str
    attempts: int
    idempotency_key: str
    stripe_response: dict[str, Any] | None
    error: str | None
    updated_at: dt.datetime

    @classmethod
    def of(cls, action: Action) -> ActionPublic:
        """The public view of a stored action."""
        return cls(
            id=action.id,
            kind=action.kind,
            capability=action.capability,
            params=dict(action.params),
            reason=action.reason,
            status=str(action.status),
            attempts=action.attempts,
            idempotency_key=action.idempotency_key,
            stripe_response=action.stripe_response,
            error=action.error,
            updated_at=action.updated_at,
        )


class StripeRequestPublic(BaseModel):
    """One request an action made to Stripe, and what came of it."""

    attempted_at: dt.datetime
    status: str = Field(description="applied, failed (retried or not) or skipped")
    error: str | None
    stripe_response: dict[str, Any] | None = Field(
        description="Stripe's answer as recorded: request id, error code and message, and an "
        "excerpt of what the action changed (never the whole Account object)"
    )

    @classmethod
    def of(cls, attempt: ActionAttempt) -> StripeRequestPublic:
        """The public view of a stored attempt."""
        return cls(
            attempted_at=attempt.attempted_at,
            status=str(attempt.status),
            error=attempt.error,
            stripe_response=attempt.stripe_response,
        )


class ActionDetailPublic(ActionPublic):
    """An action with every request it made to Stripe: a retry replaces the action's own
    `error` and `stripe_response`, not the earlier answers kept here."""

    stripe_requests: list[StripeRequestPublic] = Field(
        description="Oldest first; empty for actions that never reached Stripe (dry runs, "
        "settled without a request, or sent before the service kept them)"
    )

    @classmethod
    def with_requests(cls, action: Action, requests: list[ActionAttempt]) -> ActionDetailPublic:
        """The public view of a stored action and its requests."""
        return cls(
            **ActionPublic.of(action).model_dump(),
            stripe_requests=[StripeRequestPublic.of(attempt) for attempt in requests],
        )


class DecisionBase(BaseModel):
    """The outcome of one scoring: score, band, segment and what produced them."""

    id: str
    account_id: str
    created_at: dt.datetime
    as_of: dt.datetime
    triggered_by: str
    score: float
    band: str
    segment: str
    # The verification tier the policy chose, and the documents it asks the provider for
    # (null for decisions recorded before the service kept them).
    tier: str | None
    documents_to_collect: list[str] | None
    model_version: str
    policy_version: str


class DecisionSummaryPublic(DecisionBase):
    """A decision in a history list."""

    @classmethod
    def of(cls, decision: Decision) -> DecisionSummaryPublic:
        """The list view of a stored decision."""
        return cls.model_validate(decision, from_attributes=True)


class StoredReasonPublic(BaseModel):
    """A feature that pushed the score up, as the decision recorded it."""

    feature: str
    value: float | None = Field(description="The feature's value; null when not observed")
    contribution: float | None = Field(
        description="Its contribution to the margin (log-odds); null for decisions recorded "
        "before contributions were kept"
    )
    description: str

    @classmethod
    def of(cls, stored: Any, features: dict[str, Any]) -> StoredReasonPublic:
        """A stored reason; a bare feature name (older decisions) gets its value from the
        decision's features and its registry description."""
        if isinstance(stored, dict):
            return cls.model_validate(stored)
        name = str(stored)
        value = features.get(name)
        description = reason_description(name, observed=value is not None)
        return cls(feature=name, value=value, contribution=None, description=description)


class DecisionPublic(DecisionBase):
    """A decision in full: its inputs, the features it saw, why, and its actions."""

    source_event_id: str | None
    shadow_score: float | None
    shadow_model_version: str | None
    inputs_digest: str
    features: dict[str, Any]
    reasons: list[StoredReasonPublic]
    actions: list[ActionDetailPublic]

    @classmethod
    def of(
        cls,
        decision: Decision,
        actions: list[Action],
        requests: dict[str, list[ActionAttempt]],
    ) -> DecisionPublic:
        """The full view of a stored decision, its actions and their requests to Stripe."""
        summary = DecisionSummaryPublic.of(decision)
        return cls(
            **summary.model_dump(),
            source_event_id=decision.source_event_id,
            shadow_score=decision.shadow_score,
            shadow_model_version=decision.shadow_model_version,
            inputs_digest=decision.inputs_digest,
            features=dict(decision.features),
            reasons=[StoredReasonPublic.of(r, decision.features) for r in decision.reasons],
            actions=[
                ActionDetailPublic.with_requests(action, requests.get(action.id, []))
                for action in actions
            ],
        )


class DecisionsPublic(ListPublic):
    """A page of an account's decisions, newest first."""

    data: list[DecisionSummaryPublic]
