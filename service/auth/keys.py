"""Issue, authenticate and revoke API keys (the rules; storage is service.db)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from service.auth import tokens
from service.auth.scopes import grants, normalise_scopes
from service.db.models import ApiKey
from service.db.repositories.api_keys import add_api_key, get_key_credentials, revoke_api_key
from service.errors import InvalidInput, UnknownApiKey

MAX_NAME_LENGTH = 100
# Compared against when the key id is unknown, so a miss costs the same as a wrong secret.
_NO_SUCH_KEY_DIGEST = "0" * 64


@dataclass(frozen=True)
class ApiKeyPrincipal:
    """Who is calling: a key's public id, its name and its scopes (never the secret)."""

    key_id: str
    name: str
    scopes: frozenset[str]

    def allows(self, scope: str) -> bool:
        """Whether this key may use an operation protected by `scope`."""
        return grants(self.scopes, scope)

    @classmethod
    def of(cls, record: ApiKey) -> ApiKeyPrincipal:
        """The principal a stored key stands for."""
        return cls(key_id=record.id, name=record.name, scopes=frozenset(record.scopes))


@dataclass(frozen=True)
class IssuedKey:
    """A new key: who it is, when it was made, and the token to hand over once."""

    principal: ApiKeyPrincipal
    created_at: dt.datetime
    token: str = field(repr=False)


def check_name(name: str) -> str:
    """A key name trimmed; InvalidInput if empty, too long or with control characters."""
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH or not name.isprintable():
        raise InvalidInput(f"a key name must be 1-{MAX_NAME_LENGTH} printable characters")
    return name


def issue_key(*, session: Session, name: str, scopes: Iterable[str], pepper: bytes) -> IssuedKey:
    """Create a key with these scopes; InvalidInput for a bad name, InvalidScope for a scope."""
    checked_scopes = normalise_scopes(scopes)
    issued = tokens.new_token()
    record = add_api_key(
        session=session,
        key_id=issued.key_id,
        name=check_name(name),
        secret_hash=tokens.digest(issued.token, pepper),
        scopes=sorted(checked_scopes),
    )
    return IssuedKey(
        principal=ApiKeyPrincipal.of(record), created_at=record.created_at, token=issued.token
    )


def authenticate(*, session: Session, token: str, pepper: bytes) -> ApiKeyPrincipal | None:
    """The principal for a presented token, or None if it is malformed, unknown or revoked."""
    key_id = tokens.key_id_of(token)
    stored = get_key_credentials(session=session, key_id=key_id) if key_id else None
    expected = stored.secret_hash if stored is not None else _NO_SUCH_KEY_DIGEST
    if not tokens.matches(token, expected, pepper) or stored is None or stored.revoked:
        return None
    return ApiKeyPrincipal(key_id=stored.key_id, name=stored.name, scopes=frozenset(stored.scopes))


def revoke_key(*, session: Session, key_id: str) -> ApiKey:
    """Revoke a key for good (revoking twice is harmless); UnknownApiKey if there is none."""
    record = revoke_api_key(session=session, key_id=key_id)
    if record is None:
        raise UnknownApiKey(f"no API key with id {key_id!r}")
    return record
