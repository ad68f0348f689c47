"""Tolerant reads from a Stripe Account object, where any field may be absent or null."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

NAN = float("nan")


def dig(obj: Any, *keys: str) -> Any:
    """Follow `keys` through nested mappings; None as soon as a level is absent or not a mapping."""
    for key in keys:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj


def number(value: Any) -> float | None:
    """A JSON number as float; None when absent, null, boolean or not a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def flag(value: Any) -> float:
    """A JSON boolean as 1.0 / 0.0; NaN when the field is absent or not a boolean."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    return NAN


def present(value: Any) -> float:
    """1.0 when a string field holds non-blank text, else 0.0."""
    return 1.0 if isinstance(value, str) and value.strip() else 0.0


def strings(value: Any) -> list[str]:
    """The strings of a JSON array field; empty when absent, null or not an array."""
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [item for item in value if isinstance(item, str)]
    return []


def mappings(value: Any) -> list[Mapping[str, Any]]:
    """The objects of a JSON array field; empty when absent, null or not an array."""
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [item for item in value if isinstance(item, Mapping)]
    return []


def one_hot(value: Any, choices: Sequence[str], prefix: str) -> dict[str, float]:
    """`{prefix + choice: 1.0/0.0}` for a categorical field; all NaN when the field is absent."""
    if not isinstance(value, str) or not value:
        return {prefix + choice: NAN for choice in choices}
    return {prefix + choice: 1.0 if value == choice else 0.0 for choice in choices}
