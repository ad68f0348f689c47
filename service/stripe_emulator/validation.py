"""Validate requests and responses against spec3.json, with one compiled validator per operation.

The 8 MB spec is read once (lazily, on first use); request schemas get the endive deltas and
closed nested objects; response schemas are checked against the spec's components, where
`nullable` also admits null for enums (as Stripe's own tooling reads it).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

from .error_mapping import to_stripe_error
from .forms import coerce
from .metadata import check_entries, find_hashes
from .rules import endive_components, endive_request_schema
from .schema_tools import SPEC_URI, close_objects, normalise_nullable, rebase_refs
from .spec import load_fixtures, load_spec, query_schema, request_body_schema, response_schema


class SpecValidators:
    """Compiled request/response validators for a spec file, built on first use and cached."""

    def __init__(self, spec_path: Path) -> None:
        self.spec_path = spec_path
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str], tuple[dict[str, Any], OAS30Validator]] = {}
        self._responses: dict[str, OAS30Validator] = {}
        self._registry: Registry | None = None

    @property
    def spec(self) -> dict[str, Any]:
        """The parsed spec (shared, read-only)."""
        return load_spec(self.spec_path)

    @property
    def fixtures(self) -> dict[str, Any]:
        """fixtures3.json's example objects, keyed by resource id."""
        return load_fixtures(self.spec_path)

    def request_schema(self, path: str, method: str) -> dict[str, Any]:
        """The effective (endive-patched, closed) parameter schema of an operation."""
        return self._request(path, method)[0]

    def parse_request(self, path: str, method: str, raw: dict[str, Any]) -> dict[str, Any]:
        """Coerce decoded form/query parameters and validate them; raise a Stripe 400 if invalid.

        Beyond the schema, metadata keys and values are held to Stripe's length limits.
        """
        schema, validator = self._request(path, method)
        params = coerce(raw, schema)
        errors = list(validator.iter_errors(params))
        if errors:
            raise to_stripe_error(errors)
        for name, entries in find_hashes(params, schema):
            check_entries(entries, name)
        return dict(params)

    def response_errors(self, schema_key: str, instance: Any) -> list[str]:
        """Messages of every way instance breaks a schema (empty when valid).

        schema_key is a component name (`account`, `capability`, `event`, `error`) or
        `METHOD /path` for an operation's 200 response (e.g. the capability list envelope).
        """
        validator = self._response(schema_key)
        return [_describe(error) for error in validator.iter_errors(instance)]

    def _request(self, path: str, method: str) -> tuple[dict[str, Any], OAS30Validator]:
        key = (path, method)
        with self._lock:
            if key not in self._requests:
                if method == "get":
                    base = query_schema(self.spec, path, method)
                else:
                    base = request_body_schema(self.spec, path, method)
                schema = close_objects(endive_request_schema(path, method, base))
                self._requests[key] = (schema, OAS30Validator(schema))
            return self._requests[key]

    def _response(self, schema_key: str) -> OAS30Validator:
        with self._lock:
            if schema_key not in self._responses:
                registry = self._spec_registry()
                if " " in schema_key:
                    method, path = schema_key.split(" ", 1)
                    raw = response_schema(self.spec, path, method.lower())
                    root: dict[str, Any] = normalise_nullable(rebase_refs(raw))
                else:
                    if schema_key not in self.spec["components"]["schemas"]:
                        raise KeyError(f"spec has no component schema {schema_key!r}")
                    root = {"$ref": f"{SPEC_URI}#/components/schemas/{schema_key}"}
                self._responses[schema_key] = OAS30Validator(root, registry=registry)
            return self._responses[schema_key]

    def _spec_registry(self) -> Registry:
        if self._registry is None:
            components = endive_components(self.spec["components"]["schemas"])
            document = {"components": {"schemas": normalise_nullable(components)}}
            resource = DRAFT4.create_resource(document)
            self._registry = Registry().with_resource(SPEC_URI, resource)
        return self._registry


def _describe(error: ValidationError) -> str:
    where = "/".join(str(p) for p in error.absolute_path) or "<root>"
    return f"{where}: {error.message[:300]}"


_shared: dict[Path, SpecValidators] = {}
_shared_lock = threading.Lock()


def validators_for(spec_path: Path) -> SpecValidators:
    """The process-wide validators for a spec file, so compiled schemas are shared."""
    with _shared_lock:
        if spec_path not in _shared:
            _shared[spec_path] = SpecValidators(spec_path)
        return _shared[spec_path]
