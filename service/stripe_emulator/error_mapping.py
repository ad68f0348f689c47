"""Turn JSON-schema validation errors on request parameters into the one error Stripe would send.

Stripe reports a single error per request: unknown parameters first, then missing ones, then the
first invalid value, each with `param` in bracket notation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jsonschema.exceptions import ValidationError

from .errors import (
    StripeError,
    invalid_empty,
    invalid_parameter,
    missing_parameter,
    param_name,
    unknown_parameters,
)
from .schema_tools import branches

_PRIORITY = {"additionalProperties": 0, "required": 1}
_JSON_TYPES: dict[type, str] = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
}


def to_stripe_error(errors: Sequence[ValidationError]) -> StripeError:
    """The Stripe error for the most relevant of the schema errors (there is at least one)."""
    ordered = sorted(
        errors, key=lambda e: (_PRIORITY.get(str(e.validator), 2), len(e.absolute_path))
    )
    return _convert(ordered[0])


def _convert(error: ValidationError) -> StripeError:
    path = list(error.absolute_path)
    name = param_name(path)
    kind = str(error.validator)
    instance = error.instance
    if kind == "additionalProperties" and isinstance(instance, dict):
        known = set(error.schema.get("properties", {}))
        extra = sorted(key for key in instance if key not in known)
        return unknown_parameters([param_name([*path, key]) for key in extra])
    if kind == "required" and isinstance(instance, dict):
        missing = [key for key in error.schema.get("required", []) if key not in instance]
        return missing_parameter(param_name([*path, missing[0]]) if missing else name)
    if kind in ("anyOf", "oneOf"):
        return _convert_alternatives(error, name)
    if instance == "":
        return invalid_empty(name)
    if kind == "type":
        return _invalid_type(name, instance, error.validator_value)
    if kind == "enum":
        allowed = [str(v) for v in error.validator_value if v != ""]
        return invalid_parameter(name, f"Invalid {name}: must be one of {_one_of(allowed)}")
    if kind == "maxLength":
        limit = error.validator_value
        return invalid_parameter(name, f"Invalid {name}: must be at most {limit} characters")
    return invalid_parameter(name, f"Invalid {name}: {error.message}")


def _convert_alternatives(error: ValidationError, name: str) -> StripeError:
    instance = error.instance
    if instance == "":
        return invalid_empty(name)
    wanted = _JSON_TYPES.get(type(instance))
    options = branches(error.schema)
    enums = [str(v) for o in options for v in o.get("enum", ()) if v != ""]
    others = sorted({str(o["type"]) for o in options if o.get("type") not in (None, "string")})
    if isinstance(instance, str) and enums and others:
        kinds = " or ".join(f"{'an' if t[0] in 'aeiou' else 'a'} {t}" for t in others)
        return invalid_parameter(
            name, f"Invalid {name}: must be one of {_one_of(enums)} or {kinds}"
        )
    matching = [
        index
        for index, option in enumerate(options)
        if option.get("type") == wanted
        or (wanted == "integer" and option.get("type") == "number")
        or (wanted == "object" and "properties" in option and "type" not in option)
    ]
    for index in matching:
        nested = [e for e in error.context or () if e.relative_schema_path[0] == index]
        if nested:
            return to_stripe_error(nested)
    expected = sorted({str(o.get("type") or "value") for o in options})
    return invalid_parameter(name, f"Invalid {name}: expected {' or '.join(expected)}")


def _invalid_type(name: str, instance: Any, expected: Any) -> StripeError:
    shown = str(instance)[:100]
    if expected == "integer":
        return invalid_parameter(
            name, f"Invalid integer: {shown}", code="parameter_invalid_integer"
        )
    if expected == "object":
        return invalid_parameter(name, f"Invalid hash: {name} must be a hash")
    if expected == "array":
        return invalid_parameter(name, f"Invalid array: {name} must be an array")
    if expected == "boolean":
        return invalid_parameter(name, f"Invalid boolean: {shown}")
    if expected == "number":
        return invalid_parameter(name, f"Invalid decimal: {shown}")
    return invalid_parameter(name, f"Invalid string: {name} must be a string")


def _one_of(values: list[str]) -> str:
    if len(values) <= 1:
        return "".join(values)
    return f"{', '.join(values[:-1])}, or {values[-1]}"
