"""Accounts: the latest Stripe state of each, never overwritten by an older one."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, and_, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from service.db.base import table_of, utcnow
from service.db.models import Account
from service.db.repositories.conflicts import insert_ignoring_conflicts


def get_account(*, session: Session, account_id: str) -> Account | None:
    """The account with this id, or None."""
    return session.get(Account, account_id)


def account_exists(*, session: Session, account_id: str) -> bool:
    """Whether anything of this account is stored (a cheaper question than `get_account`)."""
    found = session.connection().execute(_exists_statement(), {"account_id": account_id})
    return found.first() is not None


@functools.cache
def _exists_statement() -> Select[tuple[str]]:
    # Built once with a bound parameter: every score asks, and building the statement (and
    # its cache key) cost more than running it.
    table = table_of(Account)
    return select(table.c.id).where(table.c.id == bindparam("account_id"))


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
    *,
    session: Session,
    account_id: str,
    state: dict[str, Any],
    as_of: dt.datetime,
    inline: bool = False,
) -> bool:
    """Keep `state` as the account's Stripe state unless a newer one is already stored.

    Returns whether the state was stored. Stripe delivers events out of order and more than
    once; an event older than what the service already applied must change nothing.
    An `inline` state (a caller's copy sent to POST /v1/scores, stamped when it arrived)
    fills in an account only until Stripe's own word arrives: Stripe's state replaces an
    inline copy whatever their times (the copy may be older than its stamp), and an inline
    copy never replaces Stripe's state.
    One INSERT ... ON CONFLICT DO UPDATE ... WHERE: the database compares the times under
    its row lock, so two writers for one account take turns, in one round trip.
    """
    now = utcnow()
    statement = _state_upsert(session.get_bind().dialect.name)
    values = {"id": account_id, "state": state, "at": as_of, "inline": inline, "now": now}
    # On the connection (Core), not `session.execute`: the ORM's bulk-insert path around a
    # single row cost more than the statement.
    session.flush()
    row = session.connection().execute(statement, values).first()
    if row is not None and row.capability_patches:
        _lay_capability_patches(session, account_id, state, as_of, inline, row.capability_patches)
    # The statements bypassed the session: an Account it already holds is now stale.
    cached = session.identity_map.get(session.identity_key(Account, account_id))
    if row is not None and cached is not None:
        session.expire(cached)
    return row is not None


def _lay_capability_patches(
    session: Session,
    account_id: str,
    state: dict[str, Any],
    as_of: dt.datetime,
    inline: bool,
    patches: dict[str, Any],
) -> None:
    """Lay the capability.updated events the state does not hold yet over the state just
    stored (Stripe delivers events in any order): over Stripe's state those newer than it,
    which are kept while older ones are forgotten; over an inline copy all of them, kept,
    since Stripe's word outranks the copy whatever its stamp."""
    later = {
        name: patch for name, patch in patches.items() if inline or patch["at"] > as_of.timestamp()
    }
    capabilities = dict(state.get("capabilities") or {})
    capabilities.update({name: patch["status"] for name, patch in later.items()})
    table = table_of(Account)
    session.connection().execute(
        update(table)
        .where(table.c.id == account_id)
        .values(
            stripe_state={**state, "capabilities": capabilities},
            capability_patches=later or None,
        )
    )


@functools.cache
def _state_upsert(dialect_name: str) -> ReturningInsert[tuple[str, dict[str, Any] | None]]:
    # Built once per backend with bound parameters: constructing it cost more than running it.
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    table = table_of(Account)
    insert = dialect.insert(table).values(
        id=bindparam("id"),
        stripe_state=bindparam("state", type_=table.c.stripe_state.type),
        stripe_state_at=bindparam("at", type_=table.c.stripe_state_at.type),
        stripe_state_inline=bindparam("inline", type_=table.c.stripe_state_inline.type),
        created_at=bindparam("now", type_=table.c.created_at.type),
        updated_at=bindparam("now", type_=table.c.updated_at.type),
    )
    stored, incoming = table.c, insert.excluded
    not_older = stored.stripe_state_at <= incoming.stripe_state_at
    statement: ReturningInsert[tuple[str, dict[str, Any] | None]] = insert.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={
            "stripe_state": incoming.stripe_state,
            "stripe_state_at": incoming.stripe_state_at,
            "stripe_state_inline": incoming.stripe_state_inline,
            "updated_at": incoming.updated_at,
        },
        where=or_(
            stored.stripe_state_at.is_(None),
            # Stripe's word: over an inline copy always, over its own older word.
            and_(~incoming.stripe_state_inline, or_(stored.stripe_state_inline, not_older)),
            # An inline copy: only over an older inline copy.
            and_(incoming.stripe_state_inline, stored.stripe_state_inline, not_older),
        ),
    ).returning(table.c.id, table.c.capability_patches)
    return statement


def disconnected_account_ids(*, session: Session, account_ids: Iterable[str]) -> set[str]:
    """Which of these accounts are disconnected from the platform now: their latest
    deauthorization is later than their latest authorization (one query for a batch)."""
    statement = select(Account.id).where(
        Account.id.in_(set(account_ids)),
        Account.deauthorized_at.is_not(None),
        or_(Account.authorized_at.is_(None), Account.authorized_at < Account.deauthorized_at),
    )
    return set(session.scalars(statement))


def record_deauthorization(*, session: Session, account_id: str, at: dt.datetime) -> bool:
    """Remember that the account disconnected the platform at `at`; True if this changed it."""
    return _record_latest(session, account_id, "deauthorized_at", at)


def record_authorization(*, session: Session, account_id: str, at: dt.datetime) -> bool:
    """Remember that the account connected the platform (again) at `at`; True if this changed
    it."""
    return _record_latest(session, account_id, "authorized_at", at)


def _record_latest(session: Session, account_id: str, field: str, at: dt.datetime) -> bool:
    # The latest report of each kind wins: replayed and reordered events leave the same record,
    # and comparing the two tells whether the account is connected now.
    ensure_account(session=session, account_id=account_id)
    account = session.get(Account, account_id, with_for_update=True, populate_existing=True)
    assert account is not None
    known = getattr(account, field)
    if known is not None and known >= at:
        return False
    setattr(account, field, at)
    session.flush()
    return True
