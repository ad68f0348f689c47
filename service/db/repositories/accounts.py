"""Accounts: the latest Stripe state of each, never overwritten by an older one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from service.db.base import utcnow
from service.db.models import Account
from service.db.repositories.conflicts import insert_ignoring_conflicts


def get_account(*, session: Session, account_id: str) -> Account | None:
    """The account with this id, or None."""
    return session.get(Account, account_id)


def ensure_account(*, session: Session, account_id: str) -> Account:
    """The account with this id, inserted without Stripe state if it is new (race-free)."""
    now = utcnow()
    insert_ignoring_conflicts(
        session,
        Account,
        {"id": account_id, "created_at": now, "updated_at": now},
        conflict_on=["id"],
    )
    account = session.get(Account, account_id)
    assert account is not None
    return account


def record_account_state(
    *, session: Session, account_id: str, state: dict[str, Any], as_of: dt.datetime
) -> bool:
    """Keep `state` as the account's Stripe state unless a newer one is already stored.

    Returns whether the state was stored. Stripe delivers events out of order and more than
    once; an event older than what the service already applied must change nothing.
    """
    ensure_account(session=session, account_id=account_id)
    # Lock the row so two workers applying events for one account take turns.
    account = session.get(Account, account_id, with_for_update=True, populate_existing=True)
    assert account is not None
    if account.stripe_state_at is not None and account.stripe_state_at > as_of:
        return False
    account.stripe_state = state
    account.stripe_state_at = as_of
    session.flush()
    return True


def record_deauthorization(*, session: Session, account_id: str, at: dt.datetime) -> bool:
    """Remember when the account disconnected the platform: the earliest report wins, so
    replayed and reordered events leave the same record. True if this call changed it."""
    ensure_account(session=session, account_id=account_id)
    account = session.get(Account, account_id, with_for_update=True, populate_existing=True)
    assert account is not None
    if account.deauthorized_at is not None and account.deauthorized_at <= at:
        return False
    account.deauthorized_at = at
    session.flush()
    return True
