"""Capability state: the emulator's deterministic model of requesting, reviewing and removing.

Model (also in this package's README.md):
- request on a rejected account -> `inactive` (`rejected.other`); with `requirements.past_due`
  -> `inactive` (`requirements.fields_needed`); otherwise `pending` (`pending.review`), which the
  review step turns `active` (after `capability_review_seconds`);
- un-request -> Capability `status: unrequested, requested: false`; the account's hash, whose
  enum has no `unrequested`, shows `inactive`.
Functions here change the working copies they are handed (the caller commits them).
"""

from __future__ import annotations

import copy
from typing import Any

Meta = dict[str, Any]


def _rejected(account: dict[str, Any]) -> bool:
    reason = (account.get("requirements") or {}).get("disabled_reason")
    return str(reason or "").startswith("rejected.")


def _fields_due(account: dict[str, Any]) -> list[str]:
    requirements = account.get("requirements") or {}
    return list(requirements.get("past_due") or [])


def derived_meta(account: dict[str, Any], name: str) -> Meta:
    """What a capability's state must be, read from the account's capabilities hash alone."""
    status = (account.get("capabilities") or {}).get(name)
    if status is None:
        return {"requested": False, "requested_at": None, "status": "unrequested", "reason": None}
    reason = {"active": None, "pending": "pending.review"}.get(status, "")
    if reason == "":
        reason = "rejected.other" if _rejected(account) else "requirements.fields_needed"
    created = account.get("created")
    return {"requested": True, "requested_at": created, "status": status, "reason": reason}


def meta_for(account: dict[str, Any], metas: dict[str, Meta], name: str) -> Meta:
    """The stored state of a capability, or the state derived from the account."""
    return copy.deepcopy(metas.get(name) or derived_meta(account, name))


def names(account: dict[str, Any], metas: dict[str, Meta]) -> list[str]:
    """Capabilities the account has state for (hash entries and stored ones), sorted."""
    return sorted(set(account.get("capabilities") or {}) | set(metas))


def _store(account: dict[str, Any], metas: dict[str, Meta], name: str, meta: Meta) -> None:
    metas[name] = meta
    hash_status = "inactive" if meta["status"] == "unrequested" else meta["status"]
    account.setdefault("capabilities", {})
    if account["capabilities"] is None:
        account["capabilities"] = {}
    account["capabilities"][name] = hash_status


def set_requested(
    account: dict[str, Any], metas: dict[str, Meta], name: str, requested: bool, now: int
) -> tuple[bool, bool]:
    """Request or remove a capability; returns (changed, needs_review)."""
    current = meta_for(account, metas, name)
    if requested:
        if current["requested"]:
            return False, False
        if _rejected(account):
            status, reason = "inactive", "rejected.other"
        elif _fields_due(account):
            status, reason = "inactive", "requirements.fields_needed"
        else:
            status, reason = "pending", "pending.review"
        meta = {"requested": True, "requested_at": now, "status": status, "reason": reason}
        _store(account, metas, name, meta)
        return True, status == "pending"
    if not current["requested"]:
        return False, False
    meta = {"requested": False, "requested_at": None, "status": "unrequested", "reason": None}
    _store(account, metas, name, meta)
    return True, False


def activate(account: dict[str, Any], metas: dict[str, Meta], name: str) -> bool:
    """Finish review of a pending capability; returns whether anything changed."""
    current = meta_for(account, metas, name)
    if current["status"] != "pending" or _rejected(account):
        return False
    _store(account, metas, name, {**current, "status": "active", "reason": None})
    return True


def disable_all(account: dict[str, Any], metas: dict[str, Meta]) -> list[str]:
    """Make every requested capability inactive after a rejection; returns the changed names."""
    changed = []
    for name in names(account, metas):
        current = meta_for(account, metas, name)
        if current["requested"] and current["status"] != "inactive":
            _store(
                account, metas, name, {**current, "status": "inactive", "reason": "rejected.other"}
            )
            changed.append(name)
    return changed


def capability_object(
    account: dict[str, Any], name: str, meta: Meta, template: dict[str, Any]
) -> dict[str, Any]:
    """The Capability object (`GET /v1/accounts/{id}/capabilities/{name}`) for this state."""
    capability = copy.deepcopy(template)
    requirements = capability.setdefault("requirements", {})
    requirements["disabled_reason"] = meta["reason"] if meta["status"] != "active" else None
    due = _fields_due(account) if meta["reason"] == "requirements.fields_needed" else []
    requirements["currently_due"] = list(due)
    requirements["eventually_due"] = list(due)
    requirements["past_due"] = list(due)
    capability.update(
        id=name,
        object="capability",
        account=account["id"],
        requested=meta["requested"],
        requested_at=meta["requested_at"],
        status=meta["status"],
    )
    return capability
