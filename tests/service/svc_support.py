"""Helpers for the service tests: both database backends, settings, a live HTTP server,
Stripe-signed webhook events.

PostgreSQL tests run against DATABASE_URL_TEST (default: the local server `.ci/run` starts),
each in a schema of its own that is dropped at the end of the session. When the server is
unreachable those tests fail with a message saying so; they are never skipped.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from types import TracebackType
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from service.settings import Settings

POSTGRES_URL = os.environ.get(
    "DATABASE_URL_TEST", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TEST_PEPPER = "test-pepper-" + "p" * 32

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


class PostgresSchemas:
    """Creates throwaway schemas in the test database and drops them all at the end."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = create_engine(
            url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
        )
        self.prefix = f"cr_test_{secrets.token_hex(4)}"
        self.created: list[str] = []

    def check_reachable(self) -> None:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:
            pytest.fail(
                f"PostgreSQL is unreachable at {make_url(self.url).render_as_string()}: "
                f"{type(exc).__name__}. The service tests need it; start it (.ci/run does) "
                "or point DATABASE_URL_TEST at one.",
                pytrace=False,
            )

    def new_url(self) -> str:
        """The URL of a new, empty schema (search_path points at it)."""
        schema = f"{self.prefix}_{len(self.created)}"
        with self.engine.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        self.created.append(schema)
        return (
            make_url(self.url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )

    def drop_all(self) -> None:
        if not self.created:
            self.engine.dispose()
            return
        with self.engine.connect() as connection:
            for schema in self.created:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        self.engine.dispose()


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """Settings for a test: this database, a fixed pepper, nothing from the environment."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "api_key_pepper": SecretStr(TEST_PEPPER),
    }
    values.update(overrides)
    return Settings(**values)


class LiveServer:
    """An app served by uvicorn on a background thread and a free port; a context manager."""

    def __init__(self, app: FastAPI, start_timeout: float = 20.0) -> None:
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", access_log=False, lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="live-server", daemon=True)
        self.start_timeout = start_timeout
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + self.start_timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the API server did not start")
            time.sleep(0.02)
        self.port = int(self.server.servers[0].sockets[0].getsockname()[1])
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def sign(body: bytes, secret: str, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header: `t=<unix>,v1=<HMAC-SHA256(secret, "t.body")>`."""
    stamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def new_event(kind: str = "payout.paid", **extra: Any) -> dict[str, Any]:
    """A minimal Stripe event with a fresh id."""
    return {
        "id": f"evt_{secrets.token_hex(8)}",
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "api_version": None,
        "request": {"id": None, "idempotency_key": None},
        "data": {"object": {"id": f"po_{secrets.token_hex(6)}", "object": "payout"}},
        **extra,
    }
