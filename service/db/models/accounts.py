"""Connected accounts and the evidence kept about them: documents and money movements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base, utcnow


class Account(Base):
    """One connected account and the latest Stripe Account object seen for it."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    stripe_state: Mapped[dict[str, Any] | None]
    # When `stripe_state` was true at Stripe (event time or fetch time), to refuse stale events.
    stripe_state_at: Mapped[dt.datetime | None]
    # Whether `stripe_state` is a caller's inline copy (POST /v1/scores) rather than Stripe's
    # own word (an event, an import): Stripe's word always replaces an inline copy, never the
    # other way round (see `record_account_state`).
    stripe_state_inline: Mapped[bool] = mapped_column(Boolean, default=False)
    # capability.updated events newer than `stripe_state_at`, {capability: {status, at}}: they
    # patch the state without moving its time, so a full account.updated created before them
    # but delivered after is still applied, and they are laid over it again.
    capability_patches: Mapped[dict[str, Any] | None]
    # When the account last disconnected the platform (`account.application.deauthorized`)
    # and last connected it again (`…authorized`): while the first is the later, the
    # platform may not change the account, so no action is sent.
    deauthorized_at: Mapped[dt.datetime | None]
    authorized_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Document(Base):
    """An onboarding document: its hash and extracted evidence; raw text only when configured."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("account_id", "sha256"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str | None] = mapped_column(String(40))
    evidence: Mapped[dict[str, Any]]
    # A document-level reason (encrypted, broken, too slow) when no evidence could be read.
    error: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Transaction(Base):
    """A money movement with the columns of the data contract's `transactions.csv`.

    `created` stays Unix seconds, as in Stripe and the dataset directory, so the online path
    hands the feature code exactly the values a batch would.
    """

    __tablename__ = "transactions"
    __table_args__ = (
        CheckConstraint("type IN ('charge', 'refund', 'dispute', 'payout')", name="type"),
        CheckConstraint("amount >= 0", name="amount"),
        Index(None, "account_id", "created"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    created: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(32))
    card_country: Mapped[str | None] = mapped_column(String(2))
    card_fingerprint: Mapped[str | None] = mapped_column(String(64))
    customer: Mapped[str | None] = mapped_column(String(64))
    failure_code: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
