"""Store and look up API keys by key id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.base import utcnow
from service.db.models import ApiKey


def add_api_key(
    *, session: Session, key_id: str, name: str, secret_hash: str, scopes: Sequence[str]
) -> ApiKey:
    """Insert a new key record (the hash only; the key itself is never stored)."""
    record = ApiKey(id=key_id, name=name, secret_hash=secret_hash, scopes=sorted(set(scopes)))
    session.add(record)
    session.flush()
    return record


def get_api_key(*, session: Session, key_id: str) -> ApiKey | None:
    """The key with this id, revoked or not, or None."""
    return session.get(ApiKey, key_id)


def list_api_keys(*, session: Session) -> list[ApiKey]:
    """Every key, oldest first."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)))


def revoke_api_key(
    *, session: Session, key_id: str, at: dt.datetime | None = None
) -> ApiKey | None:
    """Mark the key revoked (idempotent: the first revocation time is kept); None if unknown."""
    record = session.get(ApiKey, key_id)
    if record is not None and record.revoked_at is None:
        record.revoked_at = at or utcnow()
        session.flush()
    return record
