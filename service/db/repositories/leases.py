"""Leasing rows to one of many workers: the shared claim behind the inbox and the outbox.

On PostgreSQL concurrent claimers skip each other's rows (`FOR UPDATE SKIP LOCKED`); SQLite has
one writer at a time, and there the conditional UPDATE is what keeps two claimers from taking
the same row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from service.db.base import Base

Row = TypeVar("Row", bound=Base)


def claim_rows(
    session: Session,
    model: type[Row],
    *,
    key: InstrumentedAttribute[Any],
    claimable: ColumnElement[bool],
    params: Mapping[str, Any],
    order_by: Sequence[InstrumentedAttribute[Any]],
    limit: int,
    values: Mapping[str, Any],
) -> list[Row]:
    """Set `values` on up to `limit` claimable rows, in `order_by` order, and return them.

    `params` are the values of `claimable`'s bound parameters: a condition built once with
    them costs nothing per claim, where building it again cost more than running it.
    Commit soon after: on PostgreSQL the claimed rows stay locked until then.
    """
    candidates = (
        select(key)
        .where(claimable)
        .order_by(*order_by)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.scalars(candidates, params))
    if not ids:
        return []
    claim = (
        update(model)
        .where(key.in_(ids), claimable)
        .values(**values)
        .returning(key)
        .execution_options(synchronize_session=False)
    )
    claimed = list(session.scalars(claim, params))
    statement = (
        select(model)
        .where(key.in_(claimed))
        .order_by(*order_by)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(statement))
