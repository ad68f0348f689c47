"""The webhook inbox: every Stripe event stored once, then claimed and processed by workers."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base, BigId, utcnow
from service.db.models.enums import string_enum


class InboxStatus(enum.StrEnum):
    """An event's life: received -> processing -> done | ignored, or back to received to retry,
    and dead once its attempts are used up."""

    RECEIVED = "received"
    PROCESSING = "processing"
    DONE = "done"
    IGNORED = "ignored"
    DEAD = "dead"


class InboxEvent(Base):
    """One Stripe event, unique on Stripe's event id, with its processing lease."""

    __tablename__ = "webhook_inbox"
    __table_args__ = (Index(None, "status", "received_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(100))
    # No foreign key: an event may name an account the service has not seen yet.
    account_id: Mapped[str | None] = mapped_column(String(64), index=True)
    event_created: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]]
    status: Mapped[InboxStatus] = mapped_column(
        string_enum(InboxStatus, "inbox_status"), default=InboxStatus.RECEIVED
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[dt.datetime | None]
