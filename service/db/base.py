"""Declarative base, constraint naming and the column types every table shares."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, cast

from sqlalchemy import JSON, BigInteger, DateTime, Dialect, Integer, MetaData, Table
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Named constraints make migrations reproducible: Alembic can only drop what it can name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONDocument = JSON().with_variant(JSONB(), "postgresql")
BigId = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER only


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Base of every table; maps `dict`/`list` annotations to JSON and datetimes to UTC."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dict[str, Any]: JSONDocument,
        list[str]: JSONDocument,
        list[Any]: JSONDocument,
        dt.datetime: UTCDateTime(),
    }


def utcnow() -> dt.datetime:
    """The current time, aware and in UTC, as every timestamp column stores it."""
    return dt.datetime.now(dt.UTC)


def new_id(prefix: str) -> str:
    """A random, prefixed record id such as `dec_5f0c...` (Stripe-style, sortable by nothing)."""
    return f"{prefix}_{secrets.token_hex(12)}"


def table_of(model: type[Base]) -> Table:
    """The Core table behind a mapped class, for the hot paths that write without the ORM."""
    return cast(Table, model.__table__)
