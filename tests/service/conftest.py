"""Shared service fixtures: databases of both backends (fresh, migrated or shared)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from svc_support import BACKENDS, POSTGRES_URL, PostgresSchemas

from service.db.database import Database


@pytest.fixture(scope="session")
def postgres_schemas() -> Iterator[PostgresSchemas]:
    schemas = PostgresSchemas(POSTGRES_URL)
    yield schemas
    schemas.drop_all()


NewDatabaseUrl = Callable[[], str]


@pytest.fixture(scope="session", params=BACKENDS)
def db_backend(request: pytest.FixtureRequest) -> str:
    """Each test using it runs once per backend: "sqlite" and "postgresql"."""
    return str(request.param)


@pytest.fixture(scope="session")
def new_database_url(
    db_backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> NewDatabaseUrl:
    """A factory of URLs of new, empty databases on the current backend."""
    if db_backend == "sqlite":

        def sqlite_url() -> str:
            directory = tmp_path_factory.mktemp("db")
            return f"sqlite:///{directory / 'connect-risk.db'}"

        return sqlite_url
    schemas: PostgresSchemas = request.getfixturevalue("postgres_schemas")
    schemas.check_reachable()
    return schemas.new_url


@pytest.fixture
def database_url(new_database_url: NewDatabaseUrl) -> str:
    """An empty database of the current backend, for this test only."""
    return new_database_url()


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A migrated database of the current backend, for this test only."""
    db = Database.connect(database_url)
    db.ensure_schema()
    yield db
    db.dispose()


@pytest.fixture
def postgres_database(postgres_schemas: PostgresSchemas) -> Iterator[Database]:
    """A migrated PostgreSQL database for this test only, whatever `db_backend` says."""
    postgres_schemas.check_reachable()
    db = Database.connect(postgres_schemas.new_url())
    db.ensure_schema()
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def shared_database_url(new_database_url: NewDatabaseUrl) -> str:
    """One migrated database per backend for the session; tests use unique ids in it."""
    url = new_database_url()
    db = Database.connect(url)
    db.ensure_schema()
    db.dispose()
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file URL in this test's temporary directory (not created yet)."""
    return f"sqlite:///{tmp_path / 'var' / 'connect-risk.db'}"
