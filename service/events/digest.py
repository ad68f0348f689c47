"""A digest of the account state that feeds rescoring, blind to what the service itself sets.

The service writes three things onto accounts: `metadata.risk_*`, the payout schedule
(`settings.payouts.schedule`) and which capabilities are requested (visible as their
statuses in `capabilities`). Each write makes Stripe send `account.updated`; if those fields
counted, every enforcement would trigger a rescore of its own making. They are left out, so
only changes the service did not cause lead to a new decision. (A capability Stripe itself
deactivates comes with changed `requirements`, which do count.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

# Metadata keys the service writes onto accounts itself.
OWN_METADATA_PREFIX = "risk_"


def _without_own_writes(state: Mapping[str, Any]) -> dict[str, Any]:
    relevant = dict(state)
    relevant.pop("capabilities", None)
    metadata = relevant.get("metadata")
    if isinstance(metadata, Mapping):
        relevant["metadata"] = {
            key: value
            for key, value in metadata.items()
            if not str(key).startswith(OWN_METADATA_PREFIX)
        }
    settings = relevant.get("settings")
    if isinstance(settings, Mapping) and isinstance(settings.get("payouts"), Mapping):
        payouts = {k: v for k, v in settings["payouts"].items() if k != "schedule"}
        relevant["settings"] = {**settings, "payouts": payouts}
    return relevant


def score_input_digest(state: Mapping[str, Any] | None) -> str | None:
    """SHA-256 of the account state without the service's own writes; None for no state.

    Two states with the same digest differ only in what the service set itself, so no
    rescoring is needed.
    """
    if state is None:
        return None
    canonical = json.dumps(
        _without_own_writes(state), sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
