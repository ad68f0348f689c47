"""Event interpretation on events shaped like Stripe's own fixtures (no database)."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st
from worker_support import account, charge, dispute, event, fixture, payout

from service.events.digest import score_input_digest
from service.events.effects import (
    AccountSnapshot,
    AwaitingCharge,
    CapabilityChange,
    Deauthorization,
    Rescore,
    TransactionRow,
)
from service.events.interpret import interpret_event

ACCT = "acct_interpret1"


def test_direct_charge_row_has_the_contract_columns_from_the_charge() -> None:
    obj = charge(customer="cus_1", amount=1234, currency="EUR")
    result = interpret_event(event("charge.succeeded", obj, created=5, account=ACCT))
    (row,) = result.effects
    assert row == TransactionRow(
        id=obj["id"],
        account=ACCT,
        created=obj["created"],
        type="charge",
        amount=1234,
        currency="eur",
        status="succeeded",
        card_country=obj["payment_method_details"]["card"]["country"],
        card_fingerprint=obj["payment_method_details"]["card"]["fingerprint"],
        customer="cus_1",
        failure_code=None,
    )


def test_failed_charge_keeps_its_failure_code_and_asks_for_a_rescore() -> None:
    obj = charge(status="failed", failure_code="card_declined")
    row, rescore = interpret_event(event("charge.failed", obj, created=5, account=ACCT)).effects
    assert isinstance(row, TransactionRow)
    assert (row.status, row.failure_code) == ("failed", "card_declined")
    assert rescore == Rescore(ACCT, "charge_failed")


def test_only_failed_and_refunded_charges_ask_for_a_rescore() -> None:
    obj = charge(amount=100, amount_refunded=40)
    refunded = interpret_event(event("charge.refunded", obj, created=9, account=ACCT)).effects
    assert refunded[-1] == Rescore(ACCT, "charge_refunded")
    assert sum(isinstance(effect, Rescore) for effect in refunded) == 1
    succeeded = interpret_event(event("charge.succeeded", charge(), created=5, account=ACCT))
    assert not any(isinstance(effect, Rescore) for effect in succeeded.effects)


@pytest.mark.parametrize(
    "overrides",
    [
        {"transfer_data": {"amount": None, "destination": "acct_dest"}},
        {"on_behalf_of": "acct_dest"},
        {"transfer_data": {"destination": {"id": "acct_dest", "object": "account"}}},
    ],
)
def test_platform_charges_are_attributed_to_their_destination(overrides: dict) -> None:
    obj = charge(**overrides)
    (row,) = interpret_event(event("charge.succeeded", obj, created=5)).effects
    assert isinstance(row, TransactionRow)
    assert row.account == "acct_dest"


def test_unattributable_charge_is_ignored_with_a_reason() -> None:
    result = interpret_event(event("charge.succeeded", charge(), created=5))
    assert result.effects == ()
    assert result.ignored is not None and "account" in result.ignored


def test_refunded_charge_yields_a_row_per_listed_refund() -> None:
    refunds = [
        {**charge(), "id": "re_a", "object": "refund", "amount": 30, "status": "succeeded"},
        {**charge(), "id": "re_b", "object": "refund", "amount": 20, "status": "pending"},
        {**charge(), "id": "re_c", "object": "refund", "amount": 10, "status": "canceled"},
    ]
    obj = charge(amount=100, amount_refunded=60, refunds={"object": "list", "data": refunds})
    effects = interpret_event(event("charge.refunded", obj, created=9, account=ACCT)).effects
    rows = {row.id: row for row in effects if isinstance(row, TransactionRow)}
    assert set(rows) == {obj["id"], "re_a", "re_c"}
    assert (rows["re_a"].type, rows["re_a"].amount, rows["re_a"].status) == (
        "refund",
        30,
        "succeeded",
    )
    assert rows["re_c"].status == "failed"


def test_refund_total_without_a_list_becomes_one_row() -> None:
    obj = charge(amount=100, amount_refunded=40)
    obj.pop("refunds", None)
    effects = interpret_event(event("charge.refunded", obj, created=9, account=ACCT)).effects
    refunds = [row for row in effects if isinstance(row, TransactionRow) and row.type == "refund"]
    assert [(r.amount, r.created, r.id.startswith("re_")) for r in refunds] == [(40, 9, True)]


def test_dispute_uses_the_expanded_charge_then_the_stored_one() -> None:
    expanded = charge(on_behalf_of="acct_x")
    by_expansion = interpret_event(event("charge.dispute.created", dispute(expanded), created=1))
    assert Rescore("acct_x", "dispute_created") in by_expansion.effects
    by_lookup = interpret_event(
        event("charge.dispute.closed", dispute("ch_known", status="lost"), created=1),
        lambda charge_id: "acct_y" if charge_id == "ch_known" else None,
    )
    row = by_lookup.effects[0]
    assert isinstance(row, TransactionRow)
    assert (row.account, row.type, row.status) == ("acct_y", "dispute", "lost")
    assert Rescore("acct_y", "dispute_closed") in by_lookup.effects


def test_dispute_of_an_unseen_charge_waits_for_it() -> None:
    with pytest.raises(AwaitingCharge):
        interpret_event(event("charge.dispute.created", dispute("ch_unseen"), created=1))


def test_dispute_status_maps_onto_the_contract() -> None:
    obj = dispute("ch_1", status="warning_needs_response")
    evt = event("charge.dispute.created", obj, created=1, account=ACCT)
    (row, _) = interpret_event(evt).effects
    assert isinstance(row, TransactionRow)
    assert row.status == "needs_response"


def test_payouts_paid_and_failed() -> None:
    paid = interpret_event(event("payout.paid", payout(status="paid"), created=1, account=ACCT))
    assert [type(e) for e in paid.effects] == [TransactionRow]
    failed = interpret_event(
        event("payout.failed", payout(failure_code="account_closed"), created=1, account=ACCT)
    )
    row = failed.effects[0]
    assert isinstance(row, TransactionRow)
    assert (row.status, row.failure_code) == ("failed", "account_closed")
    assert Rescore(ACCT, "payout_failed") in failed.effects
    assert interpret_event(event("payout.paid", payout(), created=1)).ignored is not None


def test_account_events() -> None:
    snapshot = interpret_event(event("account.updated", account(ACCT), created=7, account=ACCT))
    assert snapshot.effects == (AccountSnapshot(ACCT, account(ACCT), 7),)
    cap = interpret_event(
        event("capability.updated", {**_capability(), "status": "active"}, created=8)
    )
    owner = _capability()["account"]
    assert cap.effects == (CapabilityChange(owner, "card_payments", "active", 8),)
    app = {"id": "ca_1", "object": "application", "name": None}
    deauth = interpret_event(
        event("account.application.deauthorized", app, created=9, account=ACCT)
    )
    assert deauth.effects == (Deauthorization(ACCT, 9),)


def _capability() -> dict:
    return fixture("capability")


def test_unknown_types_are_ignored() -> None:
    result = interpret_event(event("plan.created", {"id": "plan_1"}, created=1))
    assert result.effects == () and "plan.created" in (result.ignored or "")


@given(
    st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=8), max_size=4),
    st.text(max_size=8),
)
def test_digest_ignores_own_risk_metadata_only(metadata: dict, value: str) -> None:
    plain = {k: v for k, v in metadata.items() if not k.startswith(("risk_", "plan_"))}
    base = account(ACCT, metadata=plain)
    assert score_input_digest(account(ACCT, metadata={**plain, "risk_band": value})) == (
        score_input_digest(base)
    )
    changed = account(ACCT, metadata={**plain, "plan_": value + "!"})
    assert score_input_digest(changed) != score_input_digest(base)


@given(
    st.sampled_from(["daily", "weekly", "monthly", "manual"]),
    st.integers(min_value=0, max_value=30),
    st.sampled_from(["active", "inactive", "pending"]),
)
def test_digest_ignores_the_schedule_and_capabilities_the_service_sets(
    interval: str, delay_days: int, capability_status: str
) -> None:
    base = account(ACCT)
    enforced = copy.deepcopy(base)
    enforced["settings"]["payouts"]["schedule"] = {"interval": interval, "delay_days": delay_days}
    enforced["capabilities"] = {"card_payments": capability_status, "transfers": "inactive"}
    assert score_input_digest(enforced) == score_input_digest(base)


def test_digest_follows_changes_the_service_did_not_make() -> None:
    base = account(ACCT)
    descriptor = copy.deepcopy(base)
    descriptor["settings"]["payouts"]["statement_descriptor"] = "ELSEWHERE"
    requirements = copy.deepcopy(base)
    requirements["requirements"]["disabled_reason"] = "under_review"
    digests = {score_input_digest(state) for state in (base, descriptor, requirements)}
    assert len(digests) == 3
