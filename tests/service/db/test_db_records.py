"""Accounts, evidence, actions and reviews: what the repositories promise about each."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError
from svc_db_factories import MakeDecision, StoreDecision

from service.db.database import Database
from service.db.models import ActionStatus, ReviewStatus
from service.db.repositories.accounts import get_account, record_account_state
from service.db.repositories.actions import (
    actions_for_decision,
    plan_action,
    record_action_outcome,
    unsettled_settings,
)
from service.db.repositories.evidence import (
    add_document,
    find_document,
    transaction_records,
    upsert_transactions,
)
from service.db.repositories.reviews import count_open_reviews, open_review, resolve_review

T0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def test_an_older_account_state_never_overwrites_a_newer_one(database: Database) -> None:
    with database.session() as session, session.begin():
        assert record_account_state(session=session, account_id="acct_s", state={"v": 2}, as_of=T0)
        assert not record_account_state(
            session=session, account_id="acct_s", state={"v": 1}, as_of=T0 - dt.timedelta(1)
        )
        assert record_account_state(
            session=session, account_id="acct_s", state={"v": 3}, as_of=T0 + dt.timedelta(1)
        )
    with database.session() as session:
        account = get_account(session=session, account_id="acct_s")
    assert account is not None
    assert account.stripe_state == {"v": 3}
    assert account.stripe_state_at == T0 + dt.timedelta(1)


Write = tuple[bool, int]  # (an inline copy?, seconds after T0 it is stamped)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=st.lists(st.tuples(st.booleans(), st.integers(0, 5)), min_size=1, max_size=6))
def test_stripes_word_outranks_an_inline_copy_whatever_their_times(
    database: Database, writes: list[Write]
) -> None:
    # An inline copy is stamped when it reached the service, not when it was true at Stripe:
    # an event created a moment earlier but delivered later must still replace it, and no
    # inline copy may replace what Stripe said. Among states of one kind the newest wins.
    account_id = f"acct_{secrets.token_hex(6)}"
    with database.session() as session, session.begin():
        for index, (inline, seconds) in enumerate(writes):
            record_account_state(
                session=session,
                account_id=account_id,
                state={"write": index},
                as_of=T0 + dt.timedelta(seconds=seconds),
                inline=inline,
            )
    from_stripe = [(at, index) for index, (inline, at) in enumerate(writes) if not inline]
    candidates = from_stripe or [(at, index) for index, (_, at) in enumerate(writes)]
    # The newest of the winning kind; among equal times the one applied last (`<=`).
    expected = max(candidates)[1]
    with database.session() as session:
        account = get_account(session=session, account_id=account_id)
    assert account is not None
    assert account.stripe_state == {"write": expected}
    assert account.stripe_state_inline is writes[expected][0]


def transaction(tx_id: str, status: str, amount: int = 1200) -> dict[str, object]:
    return {
        "id": tx_id,
        "account_id": "acct_t",
        "created": 1_760_000_000,
        "type": "dispute",
        "amount": amount,
        "currency": "eur",
        "status": status,
        "card_country": "FR",
        "card_fingerprint": None,
        "customer": None,
        "failure_code": None,
    }


def test_transactions_upsert_by_stripe_id(database: Database) -> None:
    with database.session() as session, session.begin():
        record_account_state(session=session, account_id="acct_t", state={}, as_of=T0)
        upsert_transactions(session=session, rows=[transaction("dp_1", "needs_response")])
        upsert_transactions(
            session=session,
            rows=[transaction("dp_1", "lost"), transaction("dp_2", "won", amount=500)],
        )
    with database.session() as session:
        stored = transaction_records(session=session, account_id="acct_t", before=1_760_000_001)
        before = transaction_records(session=session, account_id="acct_t", before=1_760_000_000)
    assert [(t["id"], t["status"], t["amount"]) for t in stored] == [
        ("dp_1", "lost", 1200),
        ("dp_2", "won", 500),
    ]
    # The data contract's record: `account`, not the table's `account_id`.
    assert stored[0]["account"] == "acct_t" and "account_id" not in stored[0]
    assert before == []


def test_an_earlier_status_never_overwrites_a_later_one(database: Database) -> None:
    # A dispute lost (rank 2) and then an export taken before it was decided (needs_response):
    # the later status and its amount stay, as when events arrive out of order.
    with database.session() as session, session.begin():
        record_account_state(session=session, account_id="acct_t", state={}, as_of=T0)
        upsert_transactions(session=session, rows=[transaction("dp_9", "lost", amount=700)])
    with database.session() as session, session.begin():
        upsert_transactions(
            session=session,
            rows=[
                transaction("dp_9", "needs_response", amount=100),
                transaction("dp_8", "under_review"),
            ],
        )
    with database.session() as session, session.begin():
        upsert_transactions(session=session, rows=[transaction("dp_8", "won", amount=300)])
    with database.session() as session:
        stored = transaction_records(session=session, account_id="acct_t", before=1_760_000_001)
    assert {(t["id"], t["status"], t["amount"]) for t in stored} == {
        ("dp_9", "lost", 700),
        ("dp_8", "won", 300),
    }


def test_a_transaction_with_an_unknown_type_is_refused(database: Database) -> None:
    with pytest.raises(IntegrityError):
        with database.session() as session, session.begin():
            record_account_state(session=session, account_id="acct_u", state={}, as_of=T0)
            row = transaction("tx_1", "succeeded") | {"account_id": "acct_u", "type": "gift"}
            upsert_transactions(session=session, rows=[row])


def test_the_same_document_is_stored_once_per_account(database: Database) -> None:
    document = {
        "filename": "kbis.pdf",
        "content_type": "application/pdf",
        "size_bytes": 1000,
        "sha256": "f" * 64,
        "evidence": {"kind": "registration"},
    }
    with database.session() as session, session.begin():
        record_account_state(session=session, account_id="acct_d", state={}, as_of=T0)
        stored = add_document(session=session, account_id="acct_d", **document)  # type: ignore[arg-type]
    with database.session() as session:
        found = find_document(session=session, account_id="acct_d", sha256="f" * 64)
    assert found is not None and found.id == stored.id and found.text is None
    with pytest.raises(IntegrityError):
        with database.session() as session, session.begin():
            add_document(session=session, account_id="acct_d", **document)  # type: ignore[arg-type]


def test_actions_move_from_planned_to_their_outcome(
    database: Database, make_decision: MakeDecision, store_decision: StoreDecision
) -> None:
    decision_id = store_decision(make_decision("acct_a"))
    with database.session() as session, session.begin():
        action = plan_action(
            session=session,
            decision_id=decision_id,
            account_id="acct_a",
            kind="payout_schedule",
            params={"interval": "weekly"},
            idempotency_key=f"{decision_id}:payout_schedule",
        )
        assert action.status == ActionStatus.PLANNED and action.attempts == 0
        record_action_outcome(
            session=session, action_id=action.id, status=ActionStatus.FAILED, error="HTTP 500"
        )
        record_action_outcome(
            session=session,
            action_id=action.id,
            status=ActionStatus.APPLIED,
            stripe_response={"id": "acct_a"},
        )
    with database.session() as session:
        [stored] = actions_for_decision(session=session, decision_id=decision_id)
    assert (stored.status, stored.attempts, stored.error) == (ActionStatus.APPLIED, 2, None)
    assert stored.stripe_response == {"id": "acct_a"}


def test_unsettled_settings_are_those_actions_may_still_change(
    database: Database, make_decision: MakeDecision, store_decision: StoreDecision
) -> None:
    decision_id = store_decision(make_decision("acct_u"))
    retry_at = dt.datetime.now(dt.UTC)
    rows = [  # kind, capability, status, next attempt
        ("payout_schedule", None, ActionStatus.PLANNED, None),
        ("capability", "card_payments", ActionStatus.FAILED, retry_at),  # waits for a retry
        ("capability", "transfers", ActionStatus.FAILED, None),  # failed for good
        ("metadata", None, ActionStatus.APPLIED, None),
        ("review", None, ActionStatus.SKIPPED, None),
    ]
    with database.session() as session, session.begin():
        for kind, capability, status, next_attempt in rows:
            action = plan_action(
                session=session,
                decision_id=decision_id,
                account_id="acct_u",
                kind=kind,
                params={},
                idempotency_key=f"{decision_id}:{kind}:{capability}",
                status=status,
                capability=capability,
            )
            action.next_attempt_at = next_attempt
    with database.session() as session:
        unsettled = unsettled_settings(session=session, account_id="acct_u")
        assert unsettled_settings(session=session, account_id="acct_other") == frozenset()
    assert unsettled == {"payout_schedule", "capability:card_payments"}


def test_an_idempotency_key_belongs_to_one_action(
    database: Database, make_decision: MakeDecision, store_decision: StoreDecision
) -> None:
    decision_id = store_decision(make_decision("acct_k"))
    with pytest.raises(IntegrityError):
        with database.session() as session, session.begin():
            for kind in ("capabilities", "payout_schedule"):
                plan_action(
                    session=session,
                    decision_id=decision_id,
                    account_id="acct_k",
                    kind=kind,
                    params={},
                    idempotency_key="same-key",
                )


def test_reviews_queue_until_resolved(database: Database) -> None:
    with database.session() as session, session.begin():
        record_account_state(session=session, account_id="acct_r", state={}, as_of=T0)
        review = open_review(session=session, account_id="acct_r", reason="top band")
        assert count_open_reviews(session=session) == 1
        resolved = resolve_review(
            session=session, review_id=review.id, outcome="reject", resolved_by="abc123"
        )
        again = resolve_review(
            session=session, review_id=review.id, outcome="approve", resolved_by="zzz"
        )
        assert count_open_reviews(session=session) == 0
    assert resolved is not None and resolved.status == ReviewStatus.RESOLVED
    assert again is not None and (again.outcome, again.resolved_by) == ("reject", "abc123")
