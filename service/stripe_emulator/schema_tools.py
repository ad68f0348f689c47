"""Pure rewrites of OpenAPI 3.0 schema fragments into what the emulator validates with.

Each function returns a new structure and leaves the (shared, cached) spec untouched.
"""

from __future__ import annotations

from typing import Any

SPEC_URI = "urn:stripe-spec"


def close_objects(schema: Any) -> Any:
    """Copy of a request schema where every object with `properties` forbids other keys.

    The spec closes only the top level of a form body, but Stripe answers "Received unknown
    parameter" for unknown nested keys too. Maps (`additionalProperties: {schema}`) stay open.
    """
    if isinstance(schema, list):
        return [close_objects(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    closed = {key: close_objects(value) for key, value in schema.items()}
    if "properties" in closed and "additionalProperties" not in closed:
        closed["additionalProperties"] = False
    return closed


def normalise_nullable(schema: Any) -> Any:
    """Copy where `nullable: true` becomes `anyOf: [schema, {enum: [null]}]`.

    Stripe marks enums and `$ref` wrappers nullable without listing null in the enum; its own
    tooling reads that as "null is allowed", which the OAS 3.0 validator alone does not.
    """
    if isinstance(schema, list):
        return [normalise_nullable(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    copy = {key: normalise_nullable(value) for key, value in schema.items()}
    if copy.pop("nullable", False):
        return {"anyOf": [copy, {"enum": [None]}]}
    return copy


def rebase_refs(schema: Any, base: str = SPEC_URI) -> Any:
    """Copy where local refs `#/components/...` point into the registered spec resource."""
    if isinstance(schema, list):
        return [rebase_refs(item, base) for item in schema]
    if not isinstance(schema, dict):
        return schema
    copy = {key: rebase_refs(value, base) for key, value in schema.items()}
    ref = copy.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        copy["$ref"] = base + ref
    return copy


def branches(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The alternatives of a schema: its anyOf/oneOf members, or the schema itself."""
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            return [b for b in schema[keyword] if isinstance(b, dict)]
    return [schema]


def allows_empty_string(schema: dict[str, Any]) -> bool:
    """Whether `""` is an explicit value (Stripe's way of marking a parameter unsettable)."""
    return any("" in branch.get("enum", ()) for branch in branches(schema))
