"""Stripe's metadata: the limits on keys and values, and how an update merges into stored metadata.

Limits (https://docs.stripe.com/metadata, FACTS.md §2): at most 50 keys, keys of at most 40
characters without square brackets, values of at most 500 characters. The spec states only the
value limit, and only on responses, so the emulator enforces them itself, with the messages Stripe
answers and `param` naming the hash (`metadata`, `individual[metadata]`):
- a key or value over its limit is a parameter error, refused before the operation runs;
- the key limit counts the merged result (stored keys, plus new ones, minus those unset with
  `""`), so it is checked when an update is applied to the stored object.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .errors import StripeError, param_name
from .schema_tools import branches

MAX_KEYS = 50
MAX_KEY_LENGTH = 40
MAX_VALUE_LENGTH = 500


def find_hashes(
    params: dict[str, Any], schema: dict[str, Any], path: tuple[str, ...] = ()
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every metadata hash in validated params, with its parameter name, found via the schema."""
    properties: dict[str, Any] = {}
    for branch in branches(schema):
        properties.update(branch.get("properties", {}))
    for key, value in params.items():
        if not isinstance(value, dict) or key not in properties:
            continue
        if key == "metadata" and _is_map(properties[key]):
            yield param_name([*path, key]), value
        else:
            yield from find_hashes(value, properties[key], (*path, key))


def check_entries(entries: dict[str, Any], param: str) -> None:
    """Raise Stripe's 400 for the first key or value over its limit."""
    for key, value in entries.items():
        if len(key) > MAX_KEY_LENGTH:
            raise StripeError(
                400,
                f"Metadata keys can have up to {MAX_KEY_LENGTH} characters, but you passed in a "
                f"key that is {len(key)} characters. Invalid key: {key}",
                param=param,
            )
        if "[" in key or "]" in key:
            raise StripeError(
                400,
                f"Metadata keys cannot contain square brackets ([ or ]). Invalid key: {key}",
                param=param,
            )
        if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
            raise StripeError(
                400,
                f"Metadata values can have up to {MAX_VALUE_LENGTH} characters, but you passed "
                f"in a value that is {len(value)} characters. Invalid value: {value}",
                param=param,
            )


def merge_metadata(current: Any, patch: Any, param: str) -> dict[str, str]:
    """The stored hash after an update: `metadata=""` clears all, `metadata[k]=""` removes k.

    Raises Stripe's 400 (and changes nothing) if an entry breaks a limit or the merged hash would
    hold more than MAX_KEYS keys.
    """
    if not isinstance(patch, dict):
        return {}
    check_entries(patch, param)
    merged = dict(current) if isinstance(current, dict) else {}
    for key, value in patch.items():
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = str(value)
    if len(merged) > MAX_KEYS:
        raise StripeError(
            400,
            f"Metadata can have up to {MAX_KEYS} keys, but you've set {len(merged)}.",
            param=param,
        )
    return merged


def _is_map(schema: dict[str, Any]) -> bool:
    return any(isinstance(b.get("additionalProperties"), dict) for b in branches(schema))
