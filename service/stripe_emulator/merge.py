"""Apply validated create/update parameters (all but capabilities) to an Account object.

Parameter and object shapes differ in a few places (secrets become `*_provided` flags, a
bank-account token becomes an external account, `delay_days=minimum` becomes a number); the rest
is a deep merge where `""` unsets a value, as Stripe's form encoding means it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from .metadata import merge_metadata
from .objects import minimum_delay_days, new_bank_account, new_person

_SCALARS = ("email", "default_currency", "business_type")
_MERGED = ("business_profile", "settings", "tos_acceptance")
_SECRET_FLAGS = {
    "company": {"tax_id": "tax_id_provided", "vat_id": "vat_id_provided"},
    "individual": {
        "id_number": "id_number_provided",
        "id_number_secondary": "id_number_secondary_provided",
        "ssn_last_4": "ssn_last_4_provided",
    },
}
_DROPPED = {"company": ("registration_number",), "individual": ()}
_ANCHORS = {
    "weekly": ("weekly_anchor", "weekly_payout_days"),
    "monthly": ("monthly_anchor", "monthly_payout_days"),
}


def apply_params(
    account: dict[str, Any],
    params: dict[str, Any],
    *,
    now: int,
    new_id: Callable[[str], str],
    templates: dict[str, Any],
) -> dict[str, Any]:
    """A new account object with params applied; capabilities are handled elsewhere."""
    updated = copy.deepcopy(account)
    for key in _SCALARS:
        if key in params:
            updated[key] = params[key] or None
    for key in _MERGED:
        if key in params:
            updated[key] = deep_merge(updated.get(key), params[key])
    if "metadata" in params:
        updated["metadata"] = merge_metadata(
            updated.get("metadata"), params["metadata"], "metadata"
        )
    if "groups" in params:
        groups = params["groups"] or {}
        updated["groups"] = {"payments_pricing": groups.get("payments_pricing") or None}
    if "company" in params:
        updated["company"] = _merge_entity("company", updated.get("company"), params["company"])
    if "individual" in params:
        person = updated.get("individual") or new_person(
            templates["person"], new_id("person"), updated["id"], now
        )
        updated["individual"] = _merge_entity("individual", person, params["individual"])
    if "external_account" in params:
        _attach_bank_account(updated, params["external_account"], new_id, templates)
    _settle_schedule(updated)
    return updated


def deep_merge(target: Any, patch: Any) -> Any:
    """Merge a params hash into an object hash; `""` becomes null, lists are replaced whole."""
    if patch == "":
        return None
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        merged[key] = deep_merge(merged.get(key), value)
    return merged


def _merge_entity(kind: str, current: Any, patch: dict[str, Any] | str) -> Any:
    if not isinstance(patch, dict):
        return None if patch == "" else current
    flags = _SECRET_FLAGS[kind]
    plain = {
        key: value
        for key, value in patch.items()
        if key not in flags and key not in _DROPPED[kind] and key != "metadata"
    }
    if plain.get("full_name_aliases") == "":
        plain["full_name_aliases"] = []
    merged = deep_merge(current, plain)
    for secret, flag in flags.items():
        if secret in patch:
            merged[flag] = bool(patch[secret])
    if "metadata" in patch:
        merged["metadata"] = merge_metadata(
            merged.get("metadata"), patch["metadata"], f"{kind}[metadata]"
        )
    return merged


def _attach_bank_account(
    account: dict[str, Any],
    source: str | dict[str, Any],
    new_id: Callable[[str], str],
    templates: dict[str, Any],
) -> None:
    bank = new_bank_account(templates["bank_account"], new_id("ba"), account, source)
    listing = account.get("external_accounts") or {
        "object": "list",
        "data": [],
        "has_more": False,
        "url": f"/v1/accounts/{account['id']}/external_accounts",
    }
    # A new external account replaces the default one for its currency, as Stripe documents.
    kept = [
        item
        for item in listing.get("data", [])
        if not (item.get("currency") == bank["currency"] and item.get("default_for_currency"))
    ]
    listing["data"] = [*kept, bank]
    account["external_accounts"] = listing


def _settle_schedule(account: dict[str, Any]) -> None:
    """Resolve `delay_days=minimum` and drop anchors that do not belong to the interval."""
    payouts = (account.get("settings") or {}).get("payouts") or {}
    schedule = payouts.get("schedule")
    if not isinstance(schedule, dict):
        return
    if schedule.get("delay_days") in (None, "minimum"):
        schedule["delay_days"] = minimum_delay_days(str(account.get("country") or "US"))
    schedule.setdefault("interval", "daily")
    for interval, fields in _ANCHORS.items():
        if schedule["interval"] != interval:
            for name in fields:
                schedule.pop(name, None)
