"""API keys: a public key id for lookup, an HMAC of the whole key, and scopes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base, utcnow


class ApiKey(Base):
    """One API key. The key itself is never stored, only `secret_hash` (see service.auth)."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]

    @property
    def revoked(self) -> bool:
        """Whether the key has been revoked (revocation is permanent)."""
        return self.revoked_at is not None
