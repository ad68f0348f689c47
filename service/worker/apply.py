"""Apply an event's effects in the caller's transaction, each at most once in effect.

Transaction rows are keyed by Stripe id and only move to an equal or later status; account
state is kept only if the event is not older than what is stored. Replays and reordered
deliveries therefore leave the same tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.models import Account, Transaction
from service.db.repositories.accounts import (
    ensure_account,
    record_account_state,
    record_authorization,
    record_deauthorization,
)
from service.db.repositories.conflicts import insert_ignoring_conflicts
from service.events.digest import score_input_digest
from service.events.effects import (
    AccountSnapshot,
    Authorization,
    CapabilityChange,
    Deauthorization,
    Effect,
    Rescore,
    TransactionRow,
)
from service.events.money import STATUS_RANK
from service.worker.rescorer import Rescorer


def stored_charge_account(session: Session, charge_id: str) -> str | None:
    """The account of a stored charge row (to attribute disputes of platform charges)."""
    statement = select(Transaction.account_id).where(
        Transaction.id == charge_id, Transaction.type == "charge"
    )
    return session.scalar(statement)


def _as_datetime(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def upsert_transaction(session: Session, row: TransactionRow) -> bool:
    """Insert the row, or overwrite a stored one whose status is not later; True if written."""
    ensure_account(session=session, account_id=row.account)
    values: dict[str, Any] = asdict(row)
    values["account_id"] = values.pop("account")
    if insert_ignoring_conflicts(session, Transaction, values, conflict_on=["id"]):
        return True
    stored = session.get(Transaction, row.id, with_for_update=True, populate_existing=True)
    assert stored is not None
    if STATUS_RANK.get(stored.status, 0) > STATUS_RANK.get(row.status, 0):
        return False
    for column, value in values.items():
        setattr(stored, column, value)
    session.flush()
    return True


def _locked_state(session: Session, account_id: str) -> dict[str, Any] | None:
    ensure_account(session=session, account_id=account_id)
    account = session.get(Account, account_id, with_for_update=True, populate_existing=True)
    assert account is not None
    return account.stripe_state


def _apply_snapshot(session: Session, snapshot: AccountSnapshot) -> bool:
    before = score_input_digest(_locked_state(session, snapshot.account_id))
    stored = record_account_state(
        session=session,
        account_id=snapshot.account_id,
        state=dict(snapshot.state),
        as_of=_as_datetime(snapshot.as_of),
    )
    return stored and score_input_digest(snapshot.state) != before


def _apply_capability(session: Session, change: CapabilityChange) -> bool:
    state = _locked_state(session, change.account_id)
    if state is None:
        # Nothing to patch; the next account.updated carries the capability anyway.
        return False
    capabilities = dict(state.get("capabilities") or {})
    if capabilities.get(change.capability) == change.status:
        return False
    patched = {**state, "capabilities": {**capabilities, change.capability: change.status}}
    stored = record_account_state(
        session=session,
        account_id=change.account_id,
        state=patched,
        as_of=_as_datetime(change.as_of),
    )
    return stored and score_input_digest(patched) != score_input_digest(state)


def apply_effects(
    session: Session,
    effects: Iterable[Effect],
    rescorer: Rescorer,
    event_id: str | None = None,
) -> None:
    """Apply every effect in `session` (the caller commits); call the rescorer where needed.

    The rescorer hears about an account when a dispute, a failed or refunded charge or a
    failed payout arrives, and when the
    account's score inputs changed (the service's own writes do not count, see
    `service.events.digest`). `event_id` is the Stripe event the decisions will name.
    """
    for effect in effects:
        if isinstance(effect, TransactionRow):
            upsert_transaction(session, effect)
        elif isinstance(effect, AccountSnapshot):
            if _apply_snapshot(session, effect):
                rescorer.rescore(session, effect.account_id, "account_updated", event_id)
        elif isinstance(effect, CapabilityChange):
            if _apply_capability(session, effect):
                rescorer.rescore(session, effect.account_id, "capability_updated", event_id)
        elif isinstance(effect, Deauthorization):
            record_deauthorization(
                session=session, account_id=effect.account_id, at=_as_datetime(effect.as_of)
            )
        elif isinstance(effect, Authorization):
            record_authorization(
                session=session, account_id=effect.account_id, at=_as_datetime(effect.as_of)
            )
        elif isinstance(effect, Rescore):
            rescorer.rescore(session, effect.account_id, effect.reason, event_id)
