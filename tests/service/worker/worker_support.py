"""Stripe events for the worker tests, built from the spec's own fixtures, and inbox helpers."""

from __future__ import annotations

import copy
import functools
import itertools
import threading
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from service.db.database import Database
from service.db.models import Account, InboxEvent, Transaction
from service.db.repositories.inbox import store_event
from service.stripe_emulator.spec import find_spec_path, load_fixtures
from service.worker.worker import Worker

_ids = itertools.count(1)
CONTRACT_COLUMNS = (
    "id",
    "account_id",
    "created",
    "type",
    "amount",
    "currency",
    "status",
    "card_country",
    "card_fingerprint",
    "customer",
    "failure_code",
)


@functools.lru_cache(maxsize=1)
def fixtures() -> dict[str, Any]:
    return load_fixtures(find_spec_path())


def fixture(name: str, **overrides: Any) -> dict[str, Any]:
    obj = copy.deepcopy(fixtures()[name])
    obj.update(overrides)
    return obj


def unique(prefix: str) -> str:
    return f"{prefix}_t{next(_ids):06d}{threading.get_ident() % 1000:03d}"


def event(
    kind: str,
    obj: dict[str, Any],
    *,
    created: int,
    account: str | None = None,
    previous_attributes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    evt = fixture("event", id=unique("evt"), type=kind, created=created)
    evt["data"] = {"object": obj}
    if previous_attributes is not None:
        evt["data"]["previous_attributes"] = previous_attributes
    if account is not None:
        evt["account"] = account
    return evt


def charge(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": unique("ch"),
        "status": "succeeded",
        "created": 1_700_000_000,
        "transfer_data": None,
        "on_behalf_of": None,
    }
    values.update(overrides)
    return fixture("charge", **values)


def dispute(charge_ref: Any, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"id": unique("dp"), "charge": charge_ref, "created": 1_700_000_100}
    values.update(overrides)
    return fixture("dispute", **values)


def payout(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"id": unique("po"), "created": 1_700_000_200}
    values.update(overrides)
    return fixture("payout", **values)


def account(account_id: str, **overrides: Any) -> dict[str, Any]:
    return fixture("account", id=account_id, **overrides)


def inject(database: Database, events: list[dict[str, Any]]) -> int:
    """Store events as the webhook route does; returns how many were new."""
    stored = 0
    with database.session() as session:
        for evt in events:
            stored += store_event(
                session=session,
                event_id=evt["id"],
                event_type=evt["type"],
                event_created=evt["created"],
                payload=evt,
                account_id=evt.get("account"),
            )
        session.commit()
    return stored


def drain(worker: Worker, rounds: int = 50) -> None:
    """Run batches until the worker finds nothing to claim."""
    for _ in range(rounds):
        if worker.run_once(batch=10).claimed == 0:
            return
    raise AssertionError("the inbox did not drain")


def transactions(database: Database, accounts: set[str]) -> list[tuple[Any, ...]]:
    with database.session() as session:
        rows = session.scalars(
            select(Transaction).where(Transaction.account_id.in_(accounts)).order_by(Transaction.id)
        )
        return [tuple(getattr(row, column) for column in CONTRACT_COLUMNS) for row in rows]


def inbox_row(database: Database, event_id: str) -> InboxEvent:
    with database.session() as session:
        row = session.scalar(select(InboxEvent).where(InboxEvent.event_id == event_id))
        assert row is not None
        return row


def account_state(database: Database, account_id: str) -> dict[str, Any] | None:
    with database.session() as session:
        stored = session.get(Account, account_id)
        return None if stored is None else stored.stripe_state


class RecordingRescorer:
    """Remembers every call (including those whose transaction later rolled back)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def rescore(
        self, session: Session, account_id: str, reason: str, event_id: str | None = None
    ) -> None:
        del session, event_id
        with self._lock:
            self.calls.append((account_id, reason))


class LoggingRescorer:
    """Writes each call into a table in the event's transaction: counts committed effects."""

    TABLE = "test_rescore_log"

    def __init__(self, database: Database) -> None:
        with database.engine.begin() as connection:
            connection.execute(
                text(f"CREATE TABLE IF NOT EXISTS {self.TABLE} (account_id TEXT, reason TEXT)")
            )

    def rescore(
        self, session: Session, account_id: str, reason: str, event_id: str | None = None
    ) -> None:
        session.execute(
            text(f"INSERT INTO {self.TABLE} VALUES (:a, :r)"), {"a": account_id, "r": reason}
        )

    def committed(self, database: Database) -> list[tuple[str, str]]:
        with database.engine.connect() as connection:
            rows = connection.execute(text(f"SELECT account_id, reason FROM {self.TABLE}"))
            return sorted((row[0], row[1]) for row in rows)
