"""INSERT ... ON CONFLICT for both backends (SQLite and PostgreSQL share the syntax)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.db.base import Base


def insert_ignoring_conflicts(
    session: Session, model: type[Base], values: Mapping[str, Any], *, conflict_on: Sequence[str]
) -> bool:
    """Insert one row unless a row with the same `conflict_on` columns exists; True if inserted.

    Atomic in the database, so two processes inserting the same key never both succeed and
    neither sees an IntegrityError.
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=list(conflict_on))
        # RETURNING, not rowcount: drivers disagree on rowcount after ON CONFLICT DO NOTHING.
        .returning(*inspect(model).primary_key)
    )
    return session.execute(statement).first() is not None


def upsert(
    session: Session,
    model: type[Base],
    rows: Sequence[Mapping[str, Any]],
    *,
    conflict_on: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert `rows`, overwriting the `update` columns of rows whose key already exists."""
    if not rows:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model).values(list(rows))
    statement = statement.on_conflict_do_update(
        index_elements=list(conflict_on),
        set_={column: statement.excluded[column] for column in update},
    )
    session.execute(statement)
