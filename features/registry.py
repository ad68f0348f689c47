"""The feature registry: every feature's spec, in the one fixed order training and serving use."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence

from features.account import ACCOUNT_FEATURES
from features.documents import DOCUMENT_FEATURES
from features.links import LINK_FEATURES
from features.spec import FeatureSpec
from features.transactions import TRANSACTION_FEATURES

REGISTRY: tuple[FeatureSpec, ...] = (
    *ACCOUNT_FEATURES,
    *DOCUMENT_FEATURES,
    *TRANSACTION_FEATURES,
    *LINK_FEATURES,
)
FEATURE_NAMES: tuple[str, ...] = tuple(spec.name for spec in REGISTRY)
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(spec.group for spec in REGISTRY))


def registry_version(specs: Sequence[FeatureSpec] = REGISTRY) -> str:
    """A short hash of every spec (order included): models record it, scorers compare it."""
    return _version_of(tuple(specs))


@functools.lru_cache(maxsize=8)
def _version_of(specs: tuple[FeatureSpec, ...]) -> str:
    payload = json.dumps(
        [[s.name, s.type, s.group, s.monotone, s.description] for s in specs],
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


def spec_of(name: str) -> FeatureSpec:
    """The spec of one registered feature (KeyError when it is not registered)."""
    for spec in REGISTRY:
        if spec.name == name:
            return spec
    raise KeyError(f"no registered feature named {name!r}")


def monotone_constraints(specs: Sequence[FeatureSpec] = REGISTRY) -> tuple[int, ...]:
    """The monotone direction of each feature in registry order (XGBoost's constraint tuple)."""
    return tuple(int(spec.monotone) for spec in specs)
