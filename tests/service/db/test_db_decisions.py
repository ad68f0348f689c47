"""Decisions are an append-only audit trail: the database itself refuses changes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import IntegrityError
from svc_db_factories import MakeDecision, StoreDecision

from service.db.database import Database
from service.db.models import Decision
from service.db.repositories import decisions as decisions_repository
from service.db.repositories.decisions import (
    get_decision,
    latest_decision,
    latest_decision_ids,
    list_decisions,
    record_decision,
)


def test_recorded_decision_reads_back_whole(
    database: Database, make_decision: MakeDecision, store_decision: StoreDecision
) -> None:
    decision_id = store_decision(make_decision("acct_1", source_event_id="evt_1"))
    with database.session() as session:
        stored = get_decision(session=session, decision_id=decision_id)
    assert stored is not None
    assert stored.features == {"dispute_rate_90d": 0.01, "country": "FR"}
    assert stored.reasons == ["dispute_rate_90d"]
    assert stored.as_of == dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert stored.as_of.tzinfo is not None
    assert (stored.model_version, stored.policy_version) == ("3", "2026-01")
    assert stored.source_event_id == "evt_1"


def test_decisions_list_newest_first(
    database: Database, make_decision: MakeDecision, store_decision: StoreDecision
) -> None:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ids = [
        store_decision(make_decision("acct_2", created_at=start + dt.timedelta(minutes=i)))
        for i in range(3)
    ]
    with database.session() as session:
        listed = [d.id for d in list_decisions(session=session, account_id="acct_2")]
        latest = latest_decision(session=session, account_id="acct_2")
    assert listed == ids[::-1]
    assert latest is not None and latest.id == ids[-1]


def test_newest_decision_ids_of_many_accounts_match_each_latest(
    database: Database, make_decision: MakeDecision, store_decision: StoreDecision
) -> None:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for account_id, count in (("acct_a", 3), ("acct_b", 1), ("acct_c", 2)):
        for i in range(count):
            store_decision(make_decision(account_id, created_at=start + dt.timedelta(minutes=i)))
    # Two decisions in the same instant: the id breaks the tie, as in list_decisions.
    for _ in range(2):
        store_decision(make_decision("acct_d", created_at=start))
    with database.session() as session:
        newest = latest_decision_ids(
            session=session, account_ids=["acct_a", "acct_b", "acct_c", "acct_d", "acct_none"]
        )
        expected = {
            account_id: latest.id
            for account_id in ("acct_a", "acct_b", "acct_c", "acct_d")
            if (latest := latest_decision(session=session, account_id=account_id)) is not None
        }
    assert newest == expected
    assert len(newest) == 4


@pytest.mark.parametrize(
    "statement",
    [
        update(Decision).values(score=0.99),
        delete(Decision),
        text("UPDATE decisions SET band = 'high'"),
        text("DELETE FROM decisions"),
    ],
    ids=["orm-update", "orm-delete", "sql-update", "sql-delete"],
)
def test_database_refuses_changing_a_decision(
    database: Database,
    make_decision: MakeDecision,
    store_decision: StoreDecision,
    statement: object,
) -> None:
    decision_id = store_decision(make_decision("acct_3"))
    with pytest.raises(IntegrityError, match="append-only"):
        with database.session() as session, session.begin():
            session.execute(statement)  # type: ignore[call-overload]
    with database.session() as session:
        stored = get_decision(session=session, decision_id=decision_id)
    assert stored is not None and (stored.score, stored.band) == (0.25, "low")


def test_changing_a_loaded_decision_fails_on_flush(
    database: Database, make_decision: MakeDecision, store_decision: StoreDecision
) -> None:
    decision_id = store_decision(make_decision("acct_4"))
    with pytest.raises(IntegrityError):
        with database.session() as session, session.begin():
            stored = session.get(Decision, decision_id)
            assert stored is not None
            stored.score = 0.9


def test_repository_offers_no_way_to_change_decisions() -> None:
    public = [name for name in dir(decisions_repository) if not name.startswith("_")]
    assert not [name for name in public if name.startswith(("update", "delete", "remove"))]


def test_a_decision_needs_a_known_account(database: Database, make_decision: MakeDecision) -> None:
    with pytest.raises(IntegrityError):
        with database.session() as session, session.begin():
            record_decision(session=session, decision=make_decision("acct_never_seen"))
