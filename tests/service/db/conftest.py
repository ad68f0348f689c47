"""Factories for database tests: decisions with sensible defaults, stored with their account."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from svc_db_factories import MakeDecision, StoreDecision

from service.db.database import Database
from service.db.repositories.accounts import ensure_account
from service.db.repositories.decisions import NewDecision, record_decision

AS_OF = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


@pytest.fixture
def make_decision() -> MakeDecision:
    """`make_decision(account_id, **changes)`: a NewDecision with plausible values."""

    def _make(account_id: str, **changes: Any) -> NewDecision:
        values: dict[str, Any] = {
            "account_id": account_id,
            "as_of": AS_OF,
            "triggered_by": "api",
            "inputs_digest": "a" * 64,
            "features": {"dispute_rate_90d": 0.01, "country": "FR"},
            "score": 0.25,
            "band": "low",
            "segment": "fr-individual",
            "reasons": ["dispute_rate_90d"],
            "model_version": "3",
            "policy_version": "2026-01",
        }
        values.update(changes)
        return NewDecision(**values)

    return _make


@pytest.fixture
def store_decision(database: Database) -> StoreDecision:
    """`store_decision(decision)`: append it (creating its account) and return its id."""

    def _store(decision: NewDecision) -> str:
        with database.session() as session, session.begin():
            ensure_account(session=session, account_id=decision.account_id)
            return record_decision(session=session, decision=decision)

    return _store
