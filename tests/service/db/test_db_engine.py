"""Engine set-up: SQLite pragmas, UTC timestamps, and a down database reported as such."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from service.db.base import UTCDateTime
from service.db.database import Database
from service.db.engine import SQLITE_BUSY_TIMEOUT_MS, make_engine
from service.db.repositories.accounts import get_account, record_account_state
from service.errors import StoreUnavailable

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

UNREACHABLE_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:1/nothing"


def test_sqlite_connections_get_wal_busy_timeout_and_foreign_keys(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            pragma = {
                name: connection.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys")
            }
    finally:
        engine.dispose()
    assert pragma == {
        "journal_mode": "wal",
        "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
        "foreign_keys": 1,
    }


def test_timestamps_come_back_aware_and_in_utc(database: Database) -> None:
    paris = dt.timezone(dt.timedelta(hours=1))
    moment = dt.datetime(2026, 5, 1, 12, 30, tzinfo=paris)
    with database.session() as session, session.begin():
        record_account_state(session=session, account_id="acct_tz", state={}, as_of=moment)
    with database.session() as session:
        account = get_account(session=session, account_id="acct_tz")
    assert account is not None and account.stripe_state_at is not None
    assert account.stripe_state_at == moment
    assert account.stripe_state_at.utcoffset() == dt.timedelta(0)


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(dt.datetime(2026, 1, 1), dialect=None)  # type: ignore[arg-type]


def test_an_unreachable_database_is_store_unavailable() -> None:
    database = Database.connect(UNREACHABLE_POSTGRES)
    try:
        assert not database.ping()
        with pytest.raises(StoreUnavailable):
            database.ensure_schema()
        assert not database.schema_ready
    finally:
        database.dispose()


def test_a_sqlite_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "connect-risk.db"
    path.touch(mode=0o644)  # as a umask of 022 leaves a new file
    path.chmod(0o644)
    database = Database.connect(f"sqlite:///{path}")
    try:
        database.ensure_schema()
        with database.session() as session:  # a write: the WAL and shared-memory files
            record_account_state(
                session=session, account_id="acct_mode", state={"id": "acct_mode"}, as_of=NOW
            )
            session.commit()
            modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.glob("connect-risk.db*")}
    finally:
        database.dispose()
    assert modes["connect-risk.db"] == 0o600
    assert all(mode & 0o077 == 0 for mode in modes.values()), modes
