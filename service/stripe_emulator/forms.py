"""Decode Stripe's bracket form encoding into nested data and coerce its strings per schema.

`settings[payouts][schedule][delay_days]=3&expand[0]=x` becomes
`{"settings": {"payouts": {"schedule": {"delay_days": "3"}}}, "expand": {"0": "x"}}`, and
coercion against the operation's schema turns that into `delay_days: 3, expand: ["x"]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from .errors import StripeError, invalid_empty, param_name
from .schema_tools import allows_empty_string, branches

_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_INTEGER = re.compile(r"-?\d+")
_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def parse_pairs(raw: str) -> list[tuple[str, str]]:
    """Key/value pairs of a urlencoded string, keeping empty values (they mean "unset")."""
    return parse_qsl(raw, keep_blank_values=True)


def split_key(key: str) -> list[str]:
    """`a[b][0]` -> ["a", "b", "0"]; `a[]` -> ["a", ""]. A key that is not bracketed stays whole."""
    head, bracket, _ = key.partition("[")
    if not bracket:
        return [key]
    rest = key[len(head) :]
    segments = _SEGMENT.findall(rest)
    if "".join(f"[{s}]" for s in segments) != rest:
        return [key]
    return [head, *segments]


def decode_form(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Nest bracketed pairs; list indexes stay string keys until the schema says "array".

    `a[]=x` appends to a list. A key used both as a value and as a container is a 400, as
    Stripe refuses `metadata=&metadata[k]=v`-style contradictions.
    """
    root: dict[str, Any] = {}
    for key, value in pairs:
        segments = split_key(key)
        node: Any = root
        for depth, segment in enumerate(segments):
            last = depth == len(segments) - 1
            if isinstance(node, list):
                if segment != "" and not last:
                    raise _conflict(segments[:depth])
                if last:
                    node.append(value)
                else:
                    node.append({})
                    node = node[-1]
                continue
            if last:
                if segment in node and isinstance(node[segment], dict | list):
                    raise _conflict(segments)
                node[segment] = value
                break
            wants_list = segments[depth + 1] == ""
            child = node.setdefault(segment, [] if wants_list else {})
            if not isinstance(child, dict | list) or isinstance(child, list) != wants_list:
                raise _conflict(segments[: depth + 1])
            node = child
    return root


def _conflict(path: list[str]) -> StripeError:
    name = param_name(path)
    return StripeError(
        400, f"Invalid value for {name}: it was sent both as a value and a hash.", param=name
    )


def coerce(value: Any, schema: dict[str, Any], path: list[str | int] | None = None) -> Any:
    """Turn decoded strings into the integers, booleans, numbers and arrays the schema wants.

    Raises the `parameter_invalid_empty` error for `""` where the schema offers no explicit
    empty value; map values (metadata) accept `""`, which unsets the key. Values that cannot be
    coerced are left as they are for schema validation to report.
    """
    return _coerce(value, schema, path or [], map_value=False)


def _coerce(value: Any, schema: dict[str, Any], path: list[str | int], map_value: bool) -> Any:
    options = branches(schema)
    if value == "":
        if not (map_value or allows_empty_string(schema)):
            raise invalid_empty(param_name(path))
        return value
    if isinstance(value, dict):
        return _coerce_dict(value, options, path)
    if isinstance(value, list):
        array = _first(options, "array")
        if array is None:
            return value
        return [
            _coerce(item, array.get("items", {}), [*path, i], False) for i, item in enumerate(value)
        ]
    if isinstance(value, str):
        return _coerce_scalar(value, options)
    return value


def _coerce_dict(
    value: dict[str, Any], options: list[dict[str, Any]], path: list[str | int]
) -> Any:
    array = _first(options, "array")
    obj = _first(options, "object")
    if array is not None and value and all(_INTEGER.fullmatch(k) for k in value):
        ordered = [value[k] for k in sorted(value, key=int)]
        items = array.get("items", {})
        return [_coerce(item, items, [*path, i], False) for i, item in enumerate(ordered)]
    if obj is None:
        return value
    properties = obj.get("properties", {})
    extra = obj.get("additionalProperties")
    coerced: dict[str, Any] = {}
    for key, item in value.items():
        if key in properties:
            coerced[key] = _coerce(item, properties[key], [*path, key], False)
        elif isinstance(extra, dict):
            coerced[key] = _coerce(item, extra, [*path, key], True)
        else:
            coerced[key] = item
    return coerced


def _coerce_scalar(value: str, options: list[dict[str, Any]]) -> Any:
    if any(value in option.get("enum", ()) for option in options):
        return value
    kinds = {option.get("type") for option in options}
    if "integer" in kinds and _INTEGER.fullmatch(value):
        return int(value)
    if "number" in kinds and _NUMBER.fullmatch(value):
        return int(value) if _INTEGER.fullmatch(value) else float(value)
    if "boolean" in kinds and value in ("true", "false"):
        return value == "true"
    return value


def _first(options: list[dict[str, Any]], kind: str) -> dict[str, Any] | None:
    for option in options:
        declared = option.get("type")
        if declared == kind or (declared is None and kind == "object" and "properties" in option):
            return option
    return None
