"""The part of Stripe's answer worth keeping in the audit record, per action kind."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.domain.actions import PlannedAction


def excerpt(action: PlannedAction, body: Mapping[str, Any]) -> dict[str, Any]:
    """What the action changed, as Stripe now reports it (never the whole Account object)."""
    if action.kind == "payout_schedule":
        payouts = _get(_get(body, "settings"), "payouts")
        return {"schedule": _get(payouts, "schedule")}
    if action.kind == "metadata":
        metadata = _get(body, "metadata")
        sent = _get(action.params, "metadata")
        return {"metadata": {key: metadata.get(key) for key in sent}}
    if action.kind == "capability":
        return {key: body.get(key) for key in ("id", "status", "requested")}
    if action.kind == "reject":
        requirements = _get(body, "requirements")
        return {
            "disabled_reason": requirements.get("disabled_reason"),
            "charges_enabled": body.get("charges_enabled"),
            "payouts_enabled": body.get("payouts_enabled"),
        }
    return {}


def _get(mapping: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = mapping.get(key)
    return value if isinstance(value, Mapping) else {}
