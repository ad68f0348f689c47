"""How a Python `StrEnum` is stored: a short VARCHAR with a CHECK listing its values."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


def string_enum(enum_class: type[enum.StrEnum], name: str) -> Enum:
    """A portable column type for `enum_class`: VARCHAR + named CHECK, no native ENUM type.

    Native PostgreSQL enums need a migration for every new value; a CHECK constraint keeps
    both backends alike and still refuses values the code does not know.
    """
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
