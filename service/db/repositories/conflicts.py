"""INSERT ... ON CONFLICT for both backends (SQLite and PostgreSQL share the syntax)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.db.base import Base, table_of


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
    where: Callable[[Any], ColumnElement[bool]] | None = None,
) -> None:
    """Insert `rows` (each with the same keys), overwriting the `update` columns of rows whose
    key already exists.

    `where`, given the statement's `excluded` row (the values offered), says which existing
    rows may be overwritten; the others are left as they are. One executemany: the statement
    is compiled once, whatever the number of rows.
    """
    if not rows:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    # On the Core table: an ORM entity would send the rows through the ORM's bulk path.
    insert = dialect.insert(table_of(model))
    statement = insert.on_conflict_do_update(
        index_elements=list(conflict_on),
        set_={column: insert.excluded[column] for column in update},
        where=where(insert.excluded) if where is not None else None,
    )
    session.execute(statement, list(rows))
