"""plan_actions and decide: what is sent, what is a noop, what Stripe would refuse, and the keys."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.domain.actions import PlannedAction, confirm_rejection
from service.domain.decision import decide
from service.domain.facts import AccountFacts, PayoutScheduleState, facts_from_account
from service.domain.planning import plan_actions, schedule_holds
from service.domain.policy_model import PayoutSchedule, Policy
from service.domain.policy_yaml import parse_policy

MakeAccount = Callable[..., dict[str, Any]]
MakeFacts = Callable[..., AccountFacts]


def _by_kind(actions: list[PlannedAction]) -> dict[str, PlannedAction]:
    return {a.kind if a.capability is None else f"capability:{a.capability}": a for a in actions}


def _plan(policy: Policy, facts: AccountFacts, score: float, now: datetime, **kw: Any) -> Any:
    return decide(kw.get("decision_id", "dec_1"), score, facts, policy, "model-v3", now)


def test_low_band_on_a_settled_account_only_mirrors_metadata(
    default_policy: Policy, make_facts: MakeFacts, now: datetime
) -> None:
    decision = _plan(default_policy, make_facts(), 0.01, now)
    assert (decision.band, decision.segment, decision.tier) == ("low", "us_company", "standard")
    actions = _by_kind(list(decision.actions))
    assert set(actions) == {"payout_schedule", "metadata"}
    assert actions["payout_schedule"].status == "noop"  # daily, 2 days is the US minimum
    assert actions["metadata"].status == "planned"
    assert actions["metadata"].params == {
        "metadata": {
            "risk_score": "0.0100",
            "risk_band": "low",
            "risk_tier": "standard",
            "risk_model": "model-v3",
            "risk_decided_at": "2026-11-02T12:00:00Z",
        }
    }


def test_identical_metadata_is_a_noop_whatever_the_decision_time(
    default_policy: Policy, make_facts: MakeFacts, now: datetime
) -> None:
    mirrored = {
        "risk_score": "0.0100",
        "risk_band": "low",
        "risk_tier": "standard",
        "risk_model": "model-v3",
        "risk_decided_at": "2020-01-01T00:00:00Z",
        "platform_key": "kept",
    }
    facts = make_facts(metadata=mirrored)
    later = now + timedelta(days=3)
    assert _by_kind(list(_plan(default_policy, facts, 0.01, later).actions))["metadata"].status == (
        "noop"
    )
    moved = _by_kind(list(_plan(default_policy, facts, 0.0111, later).actions))["metadata"]
    assert moved.status == "planned" and "risk_score" in moved.reason
    assert moved.params["metadata"]["risk_decided_at"] == "2026-11-05T12:00:00Z"
    assert "platform_key" not in moved.params["metadata"]  # only the mirrored keys are sent


def test_what_an_earlier_decision_is_still_changing_is_restated_not_a_noop(
    default_policy: Policy, make_facts: MakeFacts, now: datetime
) -> None:
    # The account object already shows this decision's wishes, but an earlier decision's
    # actions for the same settings have not settled: whatever they set could land after it.
    mirrored = {"risk_score": "0.0100", "risk_band": "low", "risk_tier": "standard",
                "risk_model": "model-v3"}  # fmt: skip
    settled = make_facts(metadata=mirrored)
    before = _by_kind(list(_plan(default_policy, settled, 0.01, now).actions))
    assert (before["payout_schedule"].status, before["metadata"].status) == ("noop", "noop")

    unsettled = dataclasses.replace(settled, unsettled=frozenset({"payout_schedule", "metadata"}))
    after = _by_kind(list(_plan(default_policy, unsettled, 0.01, now).actions))
    for kind in ("payout_schedule", "metadata"):
        assert after[kind].status == "planned"
        assert after[kind].reason.endswith("(restated: an earlier decision is still changing it)")


def test_uncontrolled_accounts_get_not_controllable_before_any_call(
    default_policy: Policy, fixture_account: dict[str, Any], now: datetime
) -> None:
    facts = facts_from_account(fixture_account)  # OAuth Standard: is_controller null
    actions = _by_kind(list(_plan(default_policy, facts, 0.9, now).actions))
    assert actions["payout_schedule"].status == "not_controllable"
    assert "is_controller" in actions["payout_schedule"].reason
    assert actions["capability:card_payments"].status == "not_controllable"
    assert actions["reject"].status == "not_controllable"
    assert "losses.payments" in actions["reject"].reason
    assert actions["metadata"].status == "planned"  # metadata needs no platform controls
    assert actions["review"].status == "planned"  # a human still looks at it


def test_severe_band_holds_payouts_and_waits_for_review_to_reject(
    default_policy: Policy, make_facts: MakeFacts, now: datetime
) -> None:
    facts = make_facts(capabilities={"card_payments": "active", "transfers": "active"})
    decision = _plan(default_policy, facts, 0.8, now)
    actions = _by_kind(list(decision.actions))
    assert actions["payout_schedule"].status == "planned"
    assert actions["payout_schedule"].params == {
        "settings": {"payouts": {"schedule": {"interval": "manual"}}}
    }
    unrequest = actions["capability:card_payments"]
    assert (unrequest.status, unrequest.params) == ("planned", {"requested": False})
    assert actions["reject"].status == "awaiting_review"
    assert actions["reject"].params == {"reason": "fraud_other"}
    assert actions["review"].params["reject_reason"] == "fraud_other"
    assert decision.tier == "manual_review"
    confirmed = confirm_rejection(actions["reject"])
    assert confirmed.sends_to_stripe
    assert confirmed.idempotency_key == actions["reject"].idempotency_key == "dec_1:reject"


def test_rejection_needs_the_platform_to_carry_losses(
    default_policy: Policy, make_facts: MakeFacts, now: datetime
) -> None:
    standard = make_facts(account_type="standard", losses="stripe", is_controller=True)
    reject = _by_kind(list(_plan(default_policy, standard, 0.9, now).actions))["reject"]
    assert reject.status == "not_controllable"
    assert "never Standard" in reject.reason


def test_an_already_rejected_account_is_not_rejected_again(
    default_policy: Policy, make_facts: MakeFacts, now: datetime
) -> None:
    facts = make_facts(disabled_reason="rejected.platform_fraud")
    assert _by_kind(list(_plan(default_policy, facts, 0.9, now).actions))["reject"].status == (
        "noop"
    )


@given(
    score=st.floats(min_value=0.0, max_value=1.0),
    rejected=st.sampled_from(
        ["rejected.platform_fraud", "rejected.fraud", "rejected.other", "rejected.listed"]
    ),
    schedule=st.sampled_from(
        [{"interval": "manual"}, {"interval": "weekly", "weekly_anchor": "monday", "delay_days": 7}]
    ),
)
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_rejected_account_is_left_as_it_is_whatever_the_band(
    policy_text: str,
    make_facts: MakeFacts,
    now: datetime,
    score: float,
    rejected: str,
    schedule: dict[str, Any],
) -> None:
    # Even a policy that re-requests card_payments at the low band (as docs/policy.md shows)
    # never loosens a rejected account, mirrors a band onto it or queues it for review.
    low = "      tier: standard\n    medium:"
    assert low in policy_text
    requested = (
        "      tier: standard\n      capabilities:\n        request: [card_payments]\n    medium:"
    )
    policy = parse_policy(policy_text.replace(low, requested, 1))
    facts = make_facts(
        disabled_reason=rejected,
        schedule=schedule,
        capabilities={"card_payments": "inactive", "transfers": "inactive"},
    )
    actions = list(_plan(policy, facts, score, now).actions)
    assert actions and all(action.status == "noop" for action in actions)
    assert not any(action.sends_to_stripe for action in actions)
    assert "review" not in _by_kind(actions)
    changed = [a for a in actions if a.reason.startswith("account rejected at Stripe")]
    assert all(rejected in action.reason for action in changed)


@pytest.mark.parametrize(
    ("account_type", "capability"), [("express", "transfers"), ("standard", "card_payments")]
)
def test_a_permanent_capability_is_never_asked_to_be_removed(
    policy_text: str, make_facts: MakeFacts, now: datetime, account_type: str, capability: str
) -> None:
    policy = parse_policy(
        policy_text.replace("unrequest: [card_payments]", f"unrequest: [{capability}]", 1)
    )
    facts = make_facts(account_type=account_type, capabilities={capability: "active"})
    action = _by_kind(list(_plan(policy, facts, 0.9, now).actions))[f"capability:{capability}"]
    assert action.status == "not_controllable"
    assert f"{capability} is permanent on {account_type} accounts" in action.reason
    custom = make_facts(capabilities={capability: "active"})
    removal = _by_kind(list(_plan(policy, custom, 0.9, now).actions))[f"capability:{capability}"]
    assert removal.status == "planned", "a Custom account's capability can be removed"


def test_rejection_without_review_is_planned(
    policy_text: str, make_facts: MakeFacts, now: datetime
) -> None:
    policy = parse_policy(policy_text.replace("requires_review: true", "requires_review: false"))
    actions = _by_kind(list(_plan(policy, make_facts(), 0.9, now).actions))
    assert actions["reject"].status == "planned"
    assert actions["review"].reason.endswith("(manual_review tier)")


def test_confirming_anything_but_a_waiting_rejection_is_refused(
    default_policy: Policy, make_facts: MakeFacts, now: datetime
) -> None:
    payout = _by_kind(list(_plan(default_policy, make_facts(), 0.9, now).actions))[
        "payout_schedule"
    ]
    with pytest.raises(ValueError, match="awaiting review"):
        confirm_rejection(payout)


def test_keys_are_deterministic_and_distinct(
    default_policy: Policy, make_facts: MakeFacts, now: datetime
) -> None:
    facts = make_facts(capabilities={"card_payments": "active"})
    first = _plan(default_policy, facts, 0.9, now, decision_id="dec_42").actions
    again = _plan(default_policy, facts, 0.9, now, decision_id="dec_42").actions
    other = _plan(default_policy, facts, 0.9, now, decision_id="dec_43").actions
    keys = [a.idempotency_key for a in first]
    assert keys == [a.idempotency_key for a in again]
    assert len(set(keys)) == len(keys)
    assert all(k.startswith("dec_42:") for k in keys)
    assert not set(keys) & {a.idempotency_key for a in other}
    assert "dec_42:capability:card_payments" in keys


@pytest.mark.parametrize("decision_id", ["", "x" * 300, "dec\n1"])
def test_unusable_decision_ids_are_refused(
    default_policy: Policy, make_facts: MakeFacts, now: datetime, decision_id: str
) -> None:
    with pytest.raises(ValueError, match="decision_id"):
        plan_actions(decision_id, 0.1, "low", "default", make_facts(), default_policy, "m", now)


def test_naive_decision_time_and_unknown_cells_are_refused(
    default_policy: Policy, make_facts: MakeFacts, now: datetime
) -> None:
    with pytest.raises(ValueError, match="timezone"):
        plan_actions(
            "d", 0.1, "low", "default", make_facts(), default_policy, "m", now.replace(tzinfo=None)
        )
    with pytest.raises(ValueError, match="no complete cell"):
        plan_actions("d", 0.1, "extreme", "default", make_facts(), default_policy, "m", now)


@pytest.mark.parametrize(
    ("desired", "current", "minimum", "holds"),
    [
        ({"interval": "daily"}, ("daily", 2, None, None), 2, True),
        ({"interval": "daily", "delay_days": "minimum"}, ("daily", 7, None, None), 2, False),
        ({"interval": "daily", "delay_days": "minimum"}, ("daily", 7, None, None), 7, True),
        ({"interval": "daily", "delay_days": 7}, ("daily", 7, None, None), 2, True),
        ({"interval": "daily", "delay_days": 7}, ("daily", 5, None, None), 2, False),
        ({"interval": "daily"}, ("weekly", 2, "monday", None), 2, False),
        ({"interval": "weekly", "weekly_anchor": "monday", "delay_days": 7},
         ("weekly", 7, "friday", None), 2, False),
        ({"interval": "monthly", "monthly_anchor": 1, "delay_days": 7},
         ("monthly", 7, None, 1), 2, True),
        ({"interval": "manual"}, ("manual", 30, None, None), 2, True),
        ({"interval": "manual"}, ("daily", 2, None, None), 2, False),
    ],
)  # fmt: skip
def test_schedule_holds(
    desired: dict[str, Any], current: tuple[Any, ...], minimum: int, holds: bool
) -> None:
    state = PayoutScheduleState(*current)
    assert schedule_holds(PayoutSchedule(**desired), state, minimum) is holds


def test_capability_objects_decide_over_the_account_hash(
    default_policy: Policy, make_account: MakeAccount, now: datetime
) -> None:
    account = make_account(capabilities={"card_payments": "inactive"})
    still_requested = [{"id": "card_payments", "requested": True, "status": "inactive"}]
    unrequested = [{"id": "card_payments", "requested": False, "status": "unrequested"}]
    hash_only = facts_from_account(account)
    exact_on = facts_from_account(account, still_requested)
    exact_off = facts_from_account(account, unrequested)

    def status(facts: AccountFacts) -> str:
        return _by_kind(list(_plan(default_policy, facts, 0.9, now).actions))[
            "capability:card_payments"
        ].status

    assert (status(hash_only), status(exact_on), status(exact_off)) == ("noop", "planned", "noop")


def test_metadata_mirror_can_be_narrowed(
    policy_text: str, make_facts: MakeFacts, now: datetime
) -> None:
    policy = parse_policy(policy_text + "mirror_metadata: [risk_band, risk_tier]\n")
    metadata = _by_kind(list(_plan(policy, make_facts(), 0.3, now).actions))["metadata"]
    assert metadata.params == {"metadata": {"risk_band": "high", "risk_tier": "enhanced"}}


def test_decision_records_policy_and_model(
    default_policy: Policy, make_facts: MakeFacts, now: datetime
) -> None:
    decision = _plan(default_policy, make_facts(country="DE", business_type="individual"), 0.3, now)
    record = decision.to_record()
    assert record["policy_hash"] == default_policy.policy_hash
    assert record["policy_version"] == default_policy.version
    assert (record["segment"], record["band"], record["tier"]) == ("eu", "high", "enhanced")
    assert record["documents_to_collect"] == ["bank_statement", "proof_of_address", "identity_scan"]
    assert [a["kind"] for a in record["actions"]] == ["payout_schedule", "metadata"]


# -- the loop property: applying a decision, then deciding again, sends nothing --------------


def _apply(account: dict[str, Any], action: PlannedAction, policy: Policy) -> None:
    """What Stripe does with an action, as far as the facts can see it."""
    if action.kind == "payout_schedule":
        schedule = dict(action.params["settings"]["payouts"]["schedule"])
        if schedule.get("delay_days") == "minimum":
            table = policy.minimum_delay_days
            schedule["delay_days"] = table.get(account["country"], table["default"])
        if schedule["interval"] == "manual":
            schedule["delay_days"] = account["settings"]["payouts"]["schedule"]["delay_days"]
        account["settings"]["payouts"]["schedule"] = schedule
    elif action.kind == "capability":
        wanted = action.params["requested"]
        account["capabilities"][action.capability] = "pending" if wanted else "inactive"
    elif action.kind == "metadata":
        account["metadata"].update(action.params["metadata"])
    elif action.kind == "reject":
        account["requirements"]["disabled_reason"] = "rejected.platform_fraud"


accounts = st.fixed_dictionaries(
    {
        "country": st.sampled_from(["US", "DE", "GB", "BR"]),
        "business_type": st.sampled_from(["company", "individual", None]),
        "mcc": st.sampled_from(["7995", "5944", "5734", "0742", None]),
        "age_days": st.integers(0, 2000),
        "account_type": st.sampled_from(["custom", "express", "standard"]),
        "is_controller": st.sampled_from([True, None]),
        "losses": st.sampled_from(["application", "stripe"]),
        "schedule": st.sampled_from(
            [
                {"interval": "daily", "delay_days": 2},
                {"interval": "weekly", "delay_days": 7, "weekly_anchor": "friday"},
                {"interval": "manual", "delay_days": 4},
            ]
        ),
        "capabilities": st.dictionaries(
            st.sampled_from(["card_payments", "transfers"]),
            st.sampled_from(["active", "inactive", "pending"]),
        ),
    }
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shape=accounts, score=st.floats(0, 1), confirm=st.booleans())
def test_deciding_again_after_applying_sends_nothing(
    default_policy: Policy,
    make_account: MakeAccount,
    now: datetime,
    shape: dict[str, Any],
    score: float,
    confirm: bool,
) -> None:
    account = make_account(**shape)
    first = _plan(default_policy, facts_from_account(account), score, now, decision_id="d1")
    applied = copy.deepcopy(account)
    for action in first.actions:
        if confirm and action.status == "awaiting_review":
            action = confirm_rejection(action)
        if action.sends_to_stripe:
            _apply(applied, action, default_policy)
    later = now + timedelta(minutes=5)
    second = decide("d2", score, facts_from_account(applied), default_policy, "model-v3", later)
    assert [a for a in second.actions if a.sends_to_stripe] == []
