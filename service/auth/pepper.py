"""Where the API key pepper comes from: settings, or a file generated next to the SQLite file."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from service.errors import ConfigurationError
from service.settings import MIN_PEPPER_LENGTH, Settings

PEPPER_FILE = "api-key-pepper"


def resolve_pepper(settings: Settings) -> bytes:
    """The pepper API keys are hashed with.

    `CONNECT_RISK_API_KEY_PEPPER` wins. Otherwise, for the embedded SQLite default, a random
    pepper is generated once into `api-key-pepper` beside the database file (mode 0600) and
    reused, so `connect-risk apikey create` and `connect-risk serve` agree without any setup.
    In-memory SQLite gets a pepper for this process only. (Settings refuses PostgreSQL without
    a configured pepper: replicas on several machines cannot share a file.)
    """
    if settings.api_key_pepper is not None:
        return settings.api_key_pepper.get_secret_value().encode("utf-8")
    database_file = settings.sqlite_path
    if database_file is None:
        return secrets.token_urlsafe(32).encode("ascii")
    return read_or_create_pepper_file(database_file.parent / PEPPER_FILE)


def read_or_create_pepper_file(path: Path) -> bytes:
    """Read the pepper at `path`, creating it first if absent; safe when processes race."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            # link() fails if another process created the file first; its pepper then wins.
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    try:
        pepper = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read the API key pepper file {path}") from exc
    if len(pepper) < MIN_PEPPER_LENGTH:
        raise ConfigurationError(
            f"the API key pepper file {path} holds fewer than {MIN_PEPPER_LENGTH} characters"
        )
    return pepper.encode("ascii")
