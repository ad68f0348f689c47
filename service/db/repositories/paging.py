"""Keyset paging: the rows after a cursor row in (time, id) order, so rows added meanwhile
never shift or repeat the pages already read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import InstrumentedAttribute


def after_cursor(
    moment: InstrumentedAttribute[Any],
    key: InstrumentedAttribute[str],
    cursor: tuple[dt.datetime, str],
    *,
    newest_first: bool = False,
) -> ColumnElement[bool]:
    """The condition for rows that come after the row at `cursor` (its time and id) when a
    list is ordered by (`moment`, `key`), oldest first or `newest_first`."""
    at, cursor_key = cursor
    if newest_first:
        return or_(moment < at, and_(moment == at, key < cursor_key))
    return or_(moment > at, and_(moment == at, key > cursor_key))
