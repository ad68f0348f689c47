"""Locate and load Stripe's OpenAPI spec and fixtures once per process, and look up operations."""

from __future__ import annotations

import functools
import gzip
import json
import os
from pathlib import Path
from typing import Any

SPEC_ENV = "CONNECT_RISK_STRIPE_SPEC"
_RELATIVE = Path("shared") / "stripe-openapi" / "spec3.json"
# An unmodified, gzipped copy shipped with the package, so a checkout without shared/ still works.
BUNDLED_SPEC = Path(__file__).resolve().parent / "openapi" / "spec3.json.gz"
FORM = "application/x-www-form-urlencoded"


class SpecNotFoundError(FileNotFoundError):
    """Raised when spec3.json cannot be found; the message lists every place searched."""


def _walk_up(start: Path) -> list[Path]:
    """Candidate `shared/stripe-openapi/spec3.json` paths in start and each of its parents.

    Checking every parent covers `../shared/...` relative to any directory on the way up.
    """
    return [parent / _RELATIVE for parent in (start, *start.parents)]


def find_spec_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the spec path: explicit argument, then $CONNECT_RISK_STRIPE_SPEC, then a walk up.

    The walk looks for `../shared/stripe-openapi/spec3.json` from the working directory and from
    this package, which finds the shared copy both from the repository and from its worktrees;
    failing that, the copy bundled with the package (`openapi/spec3.json.gz`) is used.
    """
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise SpecNotFoundError(f"Stripe spec not found at {path} (given explicitly)")
        return path.resolve()
    from_env = os.environ.get(SPEC_ENV)
    if from_env:
        path = Path(from_env)
        if not path.is_file():
            raise SpecNotFoundError(f"Stripe spec not found at {path} (from ${SPEC_ENV})")
        return path.resolve()
    searched: list[Path] = []
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for candidate in _walk_up(start.resolve()):
            searched.append(candidate)
            if candidate.is_file():
                return candidate.resolve()
    if BUNDLED_SPEC.is_file():
        return BUNDLED_SPEC
    tried = ", ".join(str(p) for p in searched[:4])
    raise SpecNotFoundError(
        f"Stripe spec3.json not found: set ${SPEC_ENV} or pass --spec; searched "
        f"../shared/stripe-openapi/spec3.json upwards from the working directory and the package "
        f"(e.g. {tried}, ...)"
    )


@functools.lru_cache(maxsize=4)
def _load_json(path: str) -> Any:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def load_spec(path: Path) -> dict[str, Any]:
    """The parsed spec, loaded once per path and shared; callers must not mutate it."""
    spec = _load_json(str(path))
    if not isinstance(spec, dict) or "paths" not in spec or "components" not in spec:
        raise ValueError(f"{path} is not an OpenAPI document (no paths/components)")
    return spec


def load_fixtures(spec_path: Path) -> dict[str, Any]:
    """The example objects of fixtures3.json (next to spec3.json), keyed by x-resourceId."""
    path = spec_path.with_name(
        "fixtures3.json.gz" if spec_path.suffix == ".gz" else "fixtures3.json"
    )
    if not path.is_file():
        raise SpecNotFoundError(f"Stripe fixtures not found at {path} (expected next to the spec)")
    resources = _load_json(str(path)).get("resources")
    if not isinstance(resources, dict):
        raise ValueError(f"{path} has no 'resources' object")
    return resources


def operation(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    """The operation object at `paths.<path>.<method>`; KeyError names what is missing."""
    try:
        op = spec["paths"][path][method]
    except KeyError as exc:
        raise KeyError(f"spec has no operation {method.upper()} {path}") from exc
    return dict(op)


def request_body_schema(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    """The form body schema of an operation, or a closed empty object when it takes no body."""
    op = operation(spec, path, method)
    content = op.get("requestBody", {}).get("content", {}).get(FORM, {})
    schema = content.get("schema")
    if not schema:
        return {"type": "object", "properties": {}, "additionalProperties": False}
    return dict(schema)


def query_schema(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    """An object schema made of the operation's query parameters (closed, as Stripe answers)."""
    params = operation(spec, path, method).get("parameters", [])
    properties = {p["name"]: p.get("schema", {}) for p in params if p.get("in") == "query"}
    required = [p["name"] for p in params if p.get("in") == "query" and p.get("required")]
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


def response_schema(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    """The JSON schema of an operation's 200 response (may hold `#/components/...` refs)."""
    op = operation(spec, path, method)
    return dict(op["responses"]["200"]["content"]["application/json"]["schema"])
