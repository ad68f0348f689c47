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


def _locked_account(session: Session, account_id: str) -> Account:
    ensure_account(session=session, account_id=account_id)
    account = session.get(Account, account_id, with_for_update=True, populate_existing=True)
    assert account is not None
    return account


def _apply_snapshot(session: Session, snapshot: AccountSnapshot) -> bool:
    account = _locked_account(session, snapshot.account_id)
    before = score_input_digest(account.stripe_state)
    stored = record_account_state(
        session=session,
        account_id=snapshot.account_id,
        state=dict(snapshot.state),
        as_of=_as_datetime(snapshot.as_of),
    )
    if not stored:
        return False
    # As stored: with the capability events newer than it laid over it.
    session.refresh(account)
    return score_input_digest(account.stripe_state) != before


def _apply_capability(session: Session, change: CapabilityChange) -> bool:
    """Patch one capability's status into the stored state, without moving the state's time:
    an account.updated created before this event but delivered after it must still apply."""
    account = _locked_account(session, change.account_id)
    at = account.stripe_state_at
    if at is not None and not account.stripe_state_inline and change.as_of <= at.timestamp():
        # Stripe's stored state is as new: it already says this capability's status. (An
        # inline copy's time is only when it arrived; Stripe's word outranks it.)
        return False
    patches = dict(account.capability_patches or {})
    known = patches.get(change.capability)
    if known is not None and known["at"] >= change.as_of:
        return False  # a newer event about this capability was applied already
    patches[change.capability] = {"status": change.status, "at": change.as_of}
    account.capability_patches = patches
    state = account.stripe_state
    if state is None:
        # Nothing to patch yet: the account's first account.updated gets it laid over.
        session.flush()
        return False
    capabilities = dict(state.get("capabilities") or {})
    patched = {**state, "capabilities": {**capabilities, change.capability: change.status}}
    account.stripe_state = patched
    session.flush()
    return score_input_digest(patched) != score_input_digest(state)


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
