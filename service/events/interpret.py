"""Stripe Event dict -> Interpretation: which effects it has, or why it is ignored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.events.effects import (
    AccountSnapshot,
    Authorization,
    CapabilityChange,
    Deauthorization,
    Interpretation,
)
from service.events.money import (
    ChargeAccountLookup,
    interpret_charge,
    interpret_dispute,
    interpret_payout,
)

CHARGE_EVENTS = frozenset({"charge.succeeded", "charge.failed", "charge.refunded"})
DISPUTE_EVENTS = frozenset({"charge.dispute.created", "charge.dispute.closed"})
PAYOUT_EVENTS = frozenset({"payout.paid", "payout.failed"})


def _no_lookup(_charge_id: str) -> str | None:
    return None


def interpret_event(
    event: Mapping[str, Any], lookup: ChargeAccountLookup = _no_lookup
) -> Interpretation:
    """The meaning of one verified Stripe event.

    `lookup(charge_id)` gives the account of an already stored charge (disputes of platform
    charges need it). Raises AwaitingCharge when that charge is not stored yet. Unknown event
    types are ignored with a reason rather than failing, so new Stripe types never pile up.
    """
    kind = str(event.get("type"))
    if kind in CHARGE_EVENTS:
        return interpret_charge(event)
    if kind in DISPUTE_EVENTS:
        return interpret_dispute(event, lookup)
    if kind in PAYOUT_EVENTS:
        return interpret_payout(event)
    if kind == "account.updated":
        return _account_updated(event)
    if kind == "capability.updated":
        return _capability_updated(event)
    if kind == "account.application.deauthorized":
        return _deauthorized(event)
    if kind == "account.application.authorized":
        return _authorized(event)
    return Interpretation(ignored=f"event type {kind} is not used")


def _data_object(event: Mapping[str, Any]) -> Any:
    data = event.get("data")
    return data.get("object") if isinstance(data, Mapping) else None


def _account_updated(event: Mapping[str, Any]) -> Interpretation:
    account = _data_object(event)
    if not isinstance(account, Mapping) or not isinstance(account.get("id"), str):
        return Interpretation(ignored="account.updated without an account object")
    snapshot = AccountSnapshot(
        account_id=account["id"], state=dict(account), as_of=int(event["created"])
    )
    return Interpretation(effects=(snapshot,))


def _capability_updated(event: Mapping[str, Any]) -> Interpretation:
    capability = _data_object(event)
    if not isinstance(capability, Mapping):
        return Interpretation(ignored="capability.updated without a capability object")
    account = capability.get("account") or event.get("account")
    account_id = account.get("id") if isinstance(account, Mapping) else account
    if not isinstance(account_id, str) or not isinstance(capability.get("id"), str):
        return Interpretation(ignored="capability.updated names no account")
    change = CapabilityChange(
        account_id=account_id,
        capability=capability["id"],
        status=str(capability.get("status")),
        as_of=int(event["created"]),
    )
    return Interpretation(effects=(change,))


def _deauthorized(event: Mapping[str, Any]) -> Interpretation:
    account = event.get("account")
    if not isinstance(account, str):
        return Interpretation(ignored="deauthorization names no account")
    return Interpretation(effects=(Deauthorization(account, int(event["created"])),))


def _authorized(event: Mapping[str, Any]) -> Interpretation:
    account = event.get("account")
    if not isinstance(account, str):
        return Interpretation(ignored="authorization names no account")
    return Interpretation(effects=(Authorization(account, int(event["created"])),))
