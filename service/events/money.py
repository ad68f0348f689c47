"""Money-movement events (charges, refunds, disputes, payouts) -> transaction rows.

Account attribution: a connected-account event names its account in `event.account`; a
destination charge or a separate charge & transfer lives on the platform, so its account is
the charge's `transfer_data.destination` or `on_behalf_of`. A dispute of such a charge uses
the dispute's expanded charge, or else the account of the charge row already stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from service.events.effects import (
    AwaitingCharge,
    Effect,
    Interpretation,
    Rescore,
    TransactionRow,
)

ChargeAccountLookup = Callable[[str], str | None]

# The charge events whose account is rescored, and the reason its decision names.
RESCORED_CHARGE_EVENTS = {"charge.failed": "charge_failed", "charge.refunded": "charge_refunded"}

# Statuses of one object only move forward; a row is replaced only by one of equal or higher
# rank, so a stream applied in any order ends in the same table.
STATUS_RANK: dict[str, int] = {
    "pending": 0,
    "needs_response": 0,
    "under_review": 1,
    "succeeded": 2,
    "failed": 2,
    "paid": 2,
    "won": 2,
    "lost": 2,
}

_DISPUTE_STATUS = {
    "warning_needs_response": "needs_response",
    "warning_under_review": "under_review",
    "warning_closed": "won",
    "prevented": "won",
    "needs_response": "needs_response",
    "under_review": "under_review",
    "won": "won",
    "lost": "lost",
}
_REFUND_STATUS = {"succeeded": "succeeded", "failed": "failed", "canceled": "failed"}


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj


def _id_of(value: Any) -> str | None:
    # Stripe fields are an id or, when expanded, the object.
    if isinstance(value, str):
        return value
    identifier = _get(value, "id")
    return identifier if isinstance(identifier, str) else None


def charge_account(event: Mapping[str, Any], charge: Mapping[str, Any]) -> str | None:
    """The connected account a charge belongs to, or None if nothing names one."""
    return (
        _id_of(event.get("account"))
        or _id_of(_get(charge, "transfer_data", "destination"))
        or _id_of(charge.get("on_behalf_of"))
    )


def _card(charge: Mapping[str, Any]) -> tuple[str | None, str | None]:
    card = _get(charge, "payment_method_details", "card")
    return _get(card, "country"), _get(card, "fingerprint")


def _charge_row(charge: Mapping[str, Any], account: str, status: str) -> TransactionRow:
    country, fingerprint = _card(charge)
    return TransactionRow(
        id=str(charge["id"]),
        account=account,
        created=int(charge["created"]),
        type="charge",
        amount=int(charge["amount"]),
        currency=str(charge["currency"]).lower(),
        status=status,
        card_country=country,
        card_fingerprint=fingerprint,
        customer=_id_of(charge.get("customer")),
        failure_code=charge.get("failure_code") if status == "failed" else None,
    )


def _refund_row(
    charge: Mapping[str, Any], account: str, refund: Mapping[str, Any]
) -> TransactionRow:
    country, fingerprint = _card(charge)
    return TransactionRow(
        id=str(refund["id"]),
        account=account,
        created=int(refund["created"]),
        type="refund",
        amount=int(refund["amount"]),
        currency=str(charge["currency"]).lower(),
        status=str(refund["status"]),
        card_country=country,
        card_fingerprint=fingerprint,
        customer=_id_of(charge.get("customer")),
    )


def _refund_rows(
    charge: Mapping[str, Any], account: str, event_created: int
) -> list[TransactionRow]:
    listed = _get(charge, "refunds", "data")
    if isinstance(listed, list) and listed:
        return [
            _refund_row(charge, account, {**refund, "status": _REFUND_STATUS[refund["status"]]})
            for refund in listed
            if isinstance(refund, Mapping) and refund.get("status") in _REFUND_STATUS
        ]
    refunded = int(charge.get("amount_refunded") or 0)
    if refunded <= 0:
        return []
    # Without the refund list only the total is known: one row, named after its charge so a
    # later delivery of the same total lands on the same row.
    total = {
        "id": f"re_total_{charge['id']}",
        "created": event_created,
        "amount": refunded,
        "status": "succeeded",
    }
    return [_refund_row(charge, account, total)]


def interpret_charge(event: Mapping[str, Any]) -> Interpretation:
    """charge.succeeded / charge.failed / charge.refunded -> the charge row (+ refund rows);
    a failed or refunded charge also asks for a rescore.

    Failures (card testing) and refunds are the charge events that move risk; a successful
    charge is kept for the features and waits for the account's next rescore, so a platform's
    ordinary volume does not turn into one decision per payment.
    """
    charge = _get(event, "data", "object")
    if not isinstance(charge, Mapping):
        return Interpretation(ignored="event without a charge object")
    account = charge_account(event, charge)
    if account is None:
        return Interpretation(ignored="charge names no connected account")
    kind = event["type"]
    status = "failed" if kind == "charge.failed" else "succeeded"
    if kind == "charge.refunded" and charge.get("status") == "failed":
        status = "failed"
    rows: list[Effect] = [_charge_row(charge, account, status)]
    if kind == "charge.refunded":
        rows.extend(_refund_rows(charge, account, int(event["created"])))
    if kind in RESCORED_CHARGE_EVENTS:
        rows.append(Rescore(account, RESCORED_CHARGE_EVENTS[kind]))
    return Interpretation(effects=tuple(rows))


def interpret_dispute(event: Mapping[str, Any], lookup: ChargeAccountLookup) -> Interpretation:
    """charge.dispute.created / .closed -> the dispute row and a rescore of its account.

    Raises AwaitingCharge when the dispute can only be attributed through a charge that is
    not stored yet.
    """
    dispute = _get(event, "data", "object")
    if not isinstance(dispute, Mapping):
        return Interpretation(ignored="event without a dispute object")
    status = _DISPUTE_STATUS.get(str(dispute.get("status")))
    if status is None:
        return Interpretation(ignored="dispute status outside the data contract")
    charge = dispute.get("charge")
    expanded = charge if isinstance(charge, Mapping) else {}
    account = charge_account(event, expanded)
    charge_id = _id_of(charge)
    if account is None and charge_id is not None:
        account = lookup(charge_id)
        if account is None:
            raise AwaitingCharge(charge_id)
    if account is None:
        return Interpretation(ignored="dispute names no charge or connected account")
    country, fingerprint = _card(expanded)
    row = TransactionRow(
        id=str(dispute["id"]),
        account=account,
        created=int(dispute["created"]),
        type="dispute",
        amount=int(dispute["amount"]),
        currency=str(dispute["currency"]).lower(),
        status=status,
        card_country=country,
        card_fingerprint=fingerprint,
        customer=_id_of(expanded.get("customer")),
    )
    reason = "dispute_closed" if event["type"] == "charge.dispute.closed" else "dispute_created"
    return Interpretation(effects=(row, Rescore(account, reason)))


def interpret_payout(event: Mapping[str, Any]) -> Interpretation:
    """payout.paid / payout.failed -> the payout row; a failed payout also asks for a rescore."""
    payout = _get(event, "data", "object")
    if not isinstance(payout, Mapping):
        return Interpretation(ignored="event without a payout object")
    account = _id_of(event.get("account"))
    if account is None:
        return Interpretation(ignored="payout of the platform itself, not of a connected account")
    failed = event["type"] == "payout.failed"
    row = TransactionRow(
        id=str(payout["id"]),
        account=account,
        created=int(payout["created"]),
        type="payout",
        amount=int(payout["amount"]),
        currency=str(payout["currency"]).lower(),
        status="failed" if failed else "paid",
        failure_code=payout.get("failure_code") if failed else None,
    )
    effects: tuple[Effect, ...] = (row, Rescore(account, "payout_failed")) if failed else (row,)
    return Interpretation(effects=effects)
