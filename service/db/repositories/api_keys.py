"""Store and look up API keys by key id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from service.db.base import table_of, utcnow
from service.db.models import ApiKey
from service.db.repositories.paging import after_cursor


def add_api_key(
    *, session: Session, key_id: str, name: str, secret_hash: str, scopes: Sequence[str]
) -> ApiKey:
    """Insert a new key record (the hash only; the key itself is never stored)."""
    record = ApiKey(id=key_id, name=name, secret_hash=secret_hash, scopes=sorted(set(scopes)))
    session.add(record)
    session.flush()
    return record


_TABLE = table_of(ApiKey)
_CREDENTIALS = select(
    _TABLE.c.id, _TABLE.c.name, _TABLE.c.secret_hash, _TABLE.c.scopes, _TABLE.c.revoked_at
).where(_TABLE.c.id == bindparam("key_id"))


@dataclass(frozen=True)
class KeyCredentials:
    """What authenticating a request needs of a stored key."""

    key_id: str
    name: str
    secret_hash: str
    scopes: Sequence[str]
    revoked: bool


def get_key_credentials(*, session: Session, key_id: str) -> KeyCredentials | None:
    """The key with this id, revoked or not, or None.

    A Core SELECT on the session's connection: every authenticated request runs it, and the
    ORM's load of an ApiKey took twice as long (docs/benchmarks.md).
    """
    row = session.connection().execute(_CREDENTIALS, {"key_id": key_id}).first()
    if row is None:
        return None
    return KeyCredentials(
        key_id=row.id,
        name=row.name,
        secret_hash=row.secret_hash,
        scopes=row.scopes,
        revoked=row.revoked_at is not None,
    )


def list_api_keys(
    *, session: Session, limit: int | None = None, starting_after: ApiKey | None = None
) -> list[ApiKey]:
    """Keys oldest first, up to `limit`, after the cursor if given (ordered by (created_at,
    id), so new keys never shift earlier pages)."""
    statement = select(ApiKey)
    if starting_after is not None:
        cursor = (starting_after.created_at, starting_after.id)
        statement = statement.where(after_cursor(ApiKey.created_at, ApiKey.id, cursor))
    statement = statement.order_by(ApiKey.created_at, ApiKey.id)
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.scalars(statement))


def revoke_api_key(
    *, session: Session, key_id: str, at: dt.datetime | None = None
) -> ApiKey | None:
    """Mark the key revoked (idempotent: the first revocation time is kept); None if unknown."""
    record = session.get(ApiKey, key_id)
    if record is not None and record.revoked_at is None:
        record.revoked_at = at or utcnow()
        session.flush()
    return record
