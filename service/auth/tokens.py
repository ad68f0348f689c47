"""API key tokens: `cr_live_<key id>_<secret>`, and the peppered HMAC stored in their place.

Why HMAC-SHA256 with a server-side pepper rather than a slow hash (scrypt, bcrypt): slow hashes
protect low-entropy passwords from guessing. These keys carry 190 random bits, far beyond any
guessing, so a slow hash would add nothing but tens of milliseconds of CPU to every request,
an easy lever for denial of service. The pepper lives outside the database, so a leaked
database alone does not even let anyone test a candidate key offline.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass, field

PREFIX = "cr_live_"
KEY_ID_HEX_CHARS = 12
SECRET_CHARS = 32
SECRET_ALPHABET = string.ascii_letters + string.digits  # log2(62) * 32 = 190 bits
TOKEN_PATTERN = re.compile(
    rf"{PREFIX}(?P<key_id>[0-9a-f]{{{KEY_ID_HEX_CHARS}}})_[A-Za-z0-9]{{{SECRET_CHARS}}}"
)


@dataclass(frozen=True)
class IssuedToken:
    """A freshly generated key: its public id, and the token shown once to its owner."""

    key_id: str
    token: str = field(repr=False)


def new_token() -> IssuedToken:
    """Generate a key id and token from the operating system's CSPRNG."""
    key_id = secrets.token_hex(KEY_ID_HEX_CHARS // 2)
    secret = "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_CHARS))
    return IssuedToken(key_id=key_id, token=f"{PREFIX}{key_id}_{secret}")


def key_id_of(token: str) -> str | None:
    """The key id inside a well-formed token, or None for anything else."""
    match = TOKEN_PATTERN.fullmatch(token)
    return match.group("key_id") if match else None


def digest(token: str, pepper: bytes) -> str:
    """The hex HMAC-SHA256 of `token` under `pepper`: what the database stores."""
    return hmac.new(pepper, token.encode("utf-8"), hashlib.sha256).hexdigest()


def matches(token: str, expected_digest: str, pepper: bytes) -> bool:
    """Whether `token` hashes to `expected_digest`, compared in constant time."""
    return hmac.compare_digest(digest(token, pepper), expected_digest)
