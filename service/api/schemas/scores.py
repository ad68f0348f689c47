"""POST /v1/scores: the request (an inline Stripe Account or a known account id) and the
decision it returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from service.api.schemas.common import ACCOUNT_ID_PATTERN
from service.api.schemas.stripe_account import InlineAccount
from service.db.base import utcnow
from service.usecases.score_account import CLOCK_SKEW, ScoreOutcome

UNIX_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class ScoreRequest(BaseModel):
    """Exactly one of `account` (inline) or `account_id`.

    An inline Account is scored as sent and kept as the account's state until Stripe's own
    word about it (an `account.updated`, an import) arrives; it never replaces that word.
    """

    model_config = ConfigDict(extra="forbid")

    account: InlineAccount | None = Field(
        default=None,
        description=(
            "A Stripe Account object, scored as sent; kept as the account's state only until "
            "Stripe's own events about it arrive (they always take precedence)"
        ),
    )
    account_id: str | None = Field(
        default=None, pattern=ACCOUNT_ID_PATTERN, description="An account the service knows"
    )
    as_of: AwareDatetime | None = Field(
        default=None,
        description=(
            "The instant to score at (ISO 8601 with offset); default now. An instant more than "
            "5 minutes ago makes a retrospective score: recorded with what the policy would "
            "have done, nothing sent to Stripe, never the account's latest decision."
        ),
    )

    @field_validator("as_of")
    @classmethod
    def _known_instant(cls, as_of: dt.datetime | None) -> dt.datetime | None:
        # Compared, never converted: a far-off offset (year 9999 at -05:00) cannot overflow.
        if as_of is not None and as_of > utcnow() + CLOCK_SKEW:
            raise ValueError("as_of is in the future: a score can only use what is known now")
        if as_of is not None and as_of < UNIX_EPOCH:
            raise ValueError("as_of is before 1970-01-01T00:00:00Z (Stripe's times are Unix)")
        return as_of

    @model_validator(mode="after")
    def _one_account(self) -> ScoreRequest:
        if (self.account is None) == (self.account_id is None):
            raise ValueError("send exactly one of `account` and `account_id`")
        return self

    def account_object(self) -> dict[str, Any] | None:
        """The inline Account as sent (extra fields included), or None."""
        if self.account is None:
            return None
        return self.account.model_dump(mode="json", exclude_unset=True)


class ReasonPublic(BaseModel):
    """A feature that pushed the score up."""

    feature: str
    value: float | None = Field(description="The feature's value; null when not observed")
    contribution: float = Field(description="Its contribution to the margin (log-odds)")
    description: str


class PlannedActionPublic(BaseModel):
    """An action the decision planned; nothing is sent to Stripe by this request."""

    kind: str
    capability: str | None
    params: dict[str, Any]
    status: str = Field(description="planned, noop, not_controllable or awaiting_review")
    reason: str
    idempotency_key: str


class ScorePublic(BaseModel):
    """The recorded decision: score, band, segment, why, and what it plans."""

    decision_id: str
    account_id: str
    as_of: dt.datetime
    score: float
    band: str
    segment: str
    tier: str
    reasons: list[ReasonPublic]
    model_version: str
    policy_version: str
    actions: list[PlannedActionPublic]
    documents_to_collect: list[str]

    @classmethod
    def of(cls, outcome: ScoreOutcome) -> ScorePublic:
        """The public view of a scoring outcome."""
        return cls(
            decision_id=outcome.decision_id,
            account_id=outcome.account_id,
            as_of=outcome.as_of,
            score=outcome.score,
            band=outcome.band,
            segment=outcome.segment,
            tier=outcome.tier,
            reasons=[ReasonPublic(**vars(reason)) for reason in outcome.reasons],
            model_version=outcome.model_version,
            policy_version=outcome.policy_version,
            actions=[
                PlannedActionPublic(
                    kind=action.kind,
                    capability=action.capability,
                    params=dict(action.params),
                    status=action.status,
                    reason=action.reason,
                    idempotency_key=action.idempotency_key,
                )
                for action in outcome.actions
            ],
            documents_to_collect=list(outcome.documents_to_collect),
        )
