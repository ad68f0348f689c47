"""Alembic environment: runs on the connection `service.db.migrate` hands over (online only)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from service.db.models import Base

# Any fixed number works; it only has to be the same for every replica.
MIGRATION_LOCK_KEY = 0x636F6E6E_656374


def run_migrations(connection: Connection) -> None:
    """Run pending migrations on `connection` inside one transaction."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        compare_type=True,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through service.db.migrate, which passes a connection")
run_migrations(connection)
