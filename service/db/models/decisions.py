"""The audit trail: decisions (append-only), the Stripe actions they planned, human reviews."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base, BigId, utcnow
from service.db.models.enums import string_enum


class Decision(Base):
    """One scoring outcome and everything needed to explain and reproduce it.

    Append-only: the migration installs triggers that refuse UPDATE and DELETE on this table,
    and the repository offers no way to change a row.
    """

    __tablename__ = "decisions"
    __table_args__ = (Index(None, "account_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    as_of: Mapped[dt.datetime]
    # What asked for the decision ("api", "webhook", "batch") and, for events, which one.
    triggered_by: Mapped[str] = mapped_column(String(32))
    source_event_id: Mapped[str | None] = mapped_column(String(255))
    inputs_digest: Mapped[str] = mapped_column(String(64))
    features: Mapped[dict[str, Any]]
    score: Mapped[float] = mapped_column(Float)
    band: Mapped[str] = mapped_column(String(32))
    segment: Mapped[str] = mapped_column(String(64))
    # The top reasons as the caller got them: {feature, value, contribution, description};
    # decisions recorded before these were kept hold the feature names alone.
    reasons: Mapped[list[Any]]
    model_version: Mapped[str] = mapped_column(String(100))
    policy_version: Mapped[str] = mapped_column(String(100))
    # The challenger's score of the same features, when it runs in shadow: never acted on.
    shadow_score: Mapped[float | None] = mapped_column(Float)
    shadow_model_version: Mapped[str | None] = mapped_column(String(100))
    # The verification tier the policy chose and the documents it asks for (None: recorded
    # before they were kept, migration 0005).
    tier: Mapped[str | None] = mapped_column(String(32))
    documents_to_collect: Mapped[list[str] | None]
    # The evidence the score saw, blind to time and to what the service itself writes onto the
    # account (`usecases.score_account.evidence_digest`): an analyst's resolution yields only
    # to a change of it (None for decisions before migration 0008).
    evidence_digest: Mapped[str | None] = mapped_column(String(64))


class ActionStatus(enum.StrEnum):
    """Where a Stripe action stands; `skipped` records why the platform may not apply it."""

    PLANNED = "planned"
    APPLIED = "applied"
    FAILED = "failed"
    SKIPPED = "skipped"


class Action(Base):
    """One Stripe mutation a decision asked for, with Stripe's answer once it was tried."""

    __tablename__ = "actions"
    # The dispatcher's claim: planned or failed actions, oldest first.
    __table_args__ = (Index(None, "status", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    decision_id: Mapped[str] = mapped_column(ForeignKey("decisions.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]]
    # Derived from (decision id, action), so a retry after a crash is still one mutation.
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[ActionStatus] = mapped_column(
        string_enum(ActionStatus, "action_status"), default=ActionStatus.PLANNED
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    stripe_response: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    # Why the policy planned it, as the decision said (None for actions before migration 0006).
    reason: Mapped[str | None] = mapped_column(Text)
    # The capability a `capability` action requests or un-requests (None for other kinds).
    capability: Mapped[str | None] = mapped_column(String(64))
    # When a failed action may be tried again; None once retries ran out (it stays `failed`).
    next_attempt_at: Mapped[dt.datetime | None]
    # The dispatcher sending it now, and until when; an expired lease means that one died.
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ActionAttempt(Base):
    """One request an action made to Stripe and Stripe's answer, kept when a later attempt
    replaces the action's own `status`, `error` and `stripe_response`.

    Append-only like decisions (the migration installs the same kind of triggers): during a
    Stripe outage the answers of the failed attempts are the record of what happened. Dry runs
    and actions settled without a request leave no row; rows read in `id` order are the
    requests in the order they were made.
    """

    __tablename__ = "action_attempts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    action_id: Mapped[str] = mapped_column(ForeignKey("actions.id"), index=True)
    status: Mapped[ActionStatus] = mapped_column(string_enum(ActionStatus, "action_status"))
    error: Mapped[str | None] = mapped_column(Text)
    stripe_response: Mapped[dict[str, Any] | None]
    attempted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReviewStatus(enum.StrEnum):
    """A review is open until someone resolves it."""

    OPEN = "open"
    RESOLVED = "resolved"


class Review(Base):
    """A decision that policy sent to a human, and what the human concluded."""

    __tablename__ = "reviews"
    __table_args__ = (Index(None, "status", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    decision_id: Mapped[str | None] = mapped_column(ForeignKey("decisions.id"))
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[ReviewStatus] = mapped_column(
        string_enum(ReviewStatus, "review_status"), default=ReviewStatus.OPEN
    )
    # The API key id of the analyst working on it; only they may resolve it.
    claimed_by: Mapped[str | None] = mapped_column(String(16))
    claimed_at: Mapped[dt.datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(40))
    # The API key id of whoever resolved it: key ids are safe to keep and to log.
    resolved_by: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    # The account's band when the analyst resolved it: a later rescore in the same band must
    # not overturn the analyst (see service.domain.review_rules).
    band_at_resolution: Mapped[str | None] = mapped_column(String(32))
    # The account's evidence digest when the analyst resolved it (None before migration 0008).
    evidence_at_resolution: Mapped[str | None] = mapped_column(String(64))
    # The reject action a `reject` resolution confirmed for the Stripe loop to send.
    confirmed_action_id: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[dt.datetime | None]
