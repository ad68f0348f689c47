"""A digest of the account state that feeds the score, blind to the service's own metadata."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

# Metadata keys the service writes onto accounts itself; changing them must not trigger scoring,
# or every decision would cause an account.updated that causes another decision.
OWN_METADATA_PREFIX = "risk_"


def score_input_digest(state: Mapping[str, Any] | None) -> str | None:
    """SHA-256 of the account state with `metadata.risk_*` removed; None for no state.

    Two states with the same digest give the same score inputs, so no rescoring is needed.
    """
    if state is None:
        return None
    relevant = dict(state)
    metadata = relevant.get("metadata")
    if isinstance(metadata, Mapping):
        relevant["metadata"] = {
            key: value
            for key, value in metadata.items()
            if not str(key).startswith(OWN_METADATA_PREFIX)
        }
    canonical = json.dumps(relevant, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
