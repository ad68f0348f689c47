"""The service's one settings object, read from the environment by the entrypoint and passed down.

Well-known variables keep their usual names (DATABASE_URL, MLFLOW_TRACKING_URI, STRIPE_API_KEY,
STRIPE_API_BASE, STRIPE_WEBHOOK_SECRET); the service's own use the `CONNECT_RISK_` prefix. Every
field is described in docs/configuration.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from service.errors import ConfigurationError

MIB = 1024 * 1024
MIN_PEPPER_LENGTH = 32


def default_database_url() -> str:
    """SQLite file `var/connect-risk.db` under the current working directory."""
    return f"sqlite:///{Path.cwd() / 'var' / 'connect-risk.db'}"


def default_mlflow_tracking_uri() -> str:
    """SQLite MLflow store `var/mlflow.db` under the current working directory."""
    return f"sqlite:///{Path.cwd() / 'var' / 'mlflow.db'}"


def _env(name: str) -> AliasChoices:
    # The bare name is the conventional one; the prefixed name keeps `CONNECT_RISK_*` complete.
    return AliasChoices(name, f"CONNECT_RISK_{name}")


class Settings(BaseSettings):
    """Everything the API, the worker and the CLI need to know about their environment."""

    model_config = SettingsConfigDict(
        env_prefix="CONNECT_RISK_",
        extra="ignore",
        populate_by_name=True,
        frozen=True,
    )

    database_url: str = Field(
        default_factory=default_database_url, validation_alias=_env("DATABASE_URL")
    )
    mlflow_tracking_uri: str = Field(
        default_factory=default_mlflow_tracking_uri, validation_alias=_env("MLFLOW_TRACKING_URI")
    )
    policy_path: Path | None = None
    stripe_api_key: SecretStr | None = Field(default=None, validation_alias=_env("STRIPE_API_KEY"))
    stripe_api_base: str = Field(
        default="https://api.stripe.com", validation_alias=_env("STRIPE_API_BASE")
    )
    stripe_webhook_secret: SecretStr | None = Field(
        default=None, validation_alias=_env("STRIPE_WEBHOOK_SECRET")
    )
    # Accounts a dispatcher sends actions to at once (each account's actions stay in order).
    stripe_concurrency: int = Field(default=4, ge=1, le=32)
    api_key_pepper: SecretStr | None = None
    max_body_bytes: int = Field(default=1 * MIB, gt=0)
    max_document_bytes: int = Field(default=10 * MIB, gt=0)
    # Parser processes each API process keeps for uploads: a hostile file holds one for up
    # to the parse time limit, and an upload that finds them all busy waits, then gets 503.
    document_parsers: int = Field(default=2, ge=1, le=16)
    inprocess_worker: bool = True
    model_poll_seconds: float = Field(default=30.0, gt=0)
    # Also load `provider-risk@challenger` and record its score beside each decision.
    shadow_challenger: bool = False
    # How often the cross-account network behind link features is rebuilt; 0 turns it off.
    network_refresh_seconds: float = Field(default=60.0, ge=0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # The load benchmark's baseline route, POST /v1/echo; never needed in production.
    echo_endpoint: bool = False

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _parseable_database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except Exception as exc:
            raise ValueError("DATABASE_URL is not a database URL") from exc
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError("DATABASE_URL must be a sqlite:// or postgresql:// URL")
        return value

    @field_validator("stripe_api_key")
    @classmethod
    def _secret_or_restricted_key(cls, value: SecretStr | None) -> SecretStr | None:
        key = value.get_secret_value() if value is not None else ""
        if key and not key.startswith(("sk_", "rk_")):
            raise ValueError(
                "STRIPE_API_KEY must be a secret (sk_…) or restricted (rk_…) key: a "
                "publishable key cannot change connected accounts"
            )
        return value

    @field_validator("stripe_api_base")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("STRIPE_API_BASE must be an http:// or https:// URL")
        return value

    @field_validator("stripe_webhook_secret")
    @classmethod
    def _signing_secrets(cls, value: SecretStr | None) -> SecretStr | None:
        text = value.get_secret_value() if value is not None else ""
        parts = [part.strip() for part in text.split(",")]
        if text.strip() and not all(part.startswith("whsec_") for part in parts):
            raise ValueError(
                "STRIPE_WEBHOOK_SECRET must be endpoint signing secrets (whsec_…), "
                "comma-separated, with no empty entry"
            )
        return value

    @field_validator("api_key_pepper")
    @classmethod
    def _long_pepper(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_PEPPER_LENGTH:
            raise ValueError(f"the API key pepper must be at least {MIN_PEPPER_LENGTH} characters")
        return value

    @model_validator(mode="after")
    def _pepper_shared_by_replicas(self) -> Settings:
        # A pepper file under var/ only works for one machine; replicas sharing a PostgreSQL
        # database must all hash keys with the same pepper, so it has to be configured.
        if self.api_key_pepper is None and not self.uses_sqlite:
            raise ValueError(
                "CONNECT_RISK_API_KEY_PEPPER must be set when DATABASE_URL is not SQLite: "
                "every replica must hash API keys with the same pepper"
            )
        return self

    @property
    def uses_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite kind."""
        return make_url(self.database_url).get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite database file, or None for PostgreSQL and in-memory SQLite."""
        url = make_url(self.database_url)
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        return Path(url.database)

    def webhook_secrets(self) -> tuple[str, ...]:
        """Every accepted webhook signing secret (a comma-separated list eases rotation)."""
        if self.stripe_webhook_secret is None:
            return ()
        parts = self.stripe_webhook_secret.get_secret_value().split(",")
        return tuple(part.strip() for part in parts if part.strip())


def load_settings(**overrides: object) -> Settings:
    """Read the environment (plus explicit overrides) into Settings for an entrypoint.

    Raises ConfigurationError naming each bad field; unlike pydantic's own message it never
    echoes the values, which may be secrets.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{_variable(error['loc'])}: {error['msg'].removeprefix('Value error, ')}"
            for error in exc.errors(include_input=False, include_url=False)
        )
        # Dropping the cause is deliberate: pydantic's message repeats the input, secrets included.
        raise ConfigurationError(f"invalid settings: {problems}") from None


def _variable(loc: tuple[int | str, ...]) -> str:
    """The environment variable(s) a settings error is about, as an operator sets them."""
    if not loc:
        return "settings"
    name = str(loc[0])
    for field_name, field in Settings.model_fields.items():
        alias = field.validation_alias
        choices = alias.choices if isinstance(alias, AliasChoices) else ()
        if name == field_name or name in choices:
            if choices:
                return " or ".join(str(choice) for choice in choices)
            return f"CONNECT_RISK_{field_name.upper()}"
    return name
