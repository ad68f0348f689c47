"""AccountFacts from Stripe Account dicts, including the sparse ones Stripe sends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.domain.facts import PayoutScheduleState, facts_from_account

MakeAccount = Callable[..., dict[str, Any]]


def test_oauth_standard_fixture_is_not_controlled(fixture_account: dict[str, Any]) -> None:
    facts = facts_from_account(fixture_account)
    assert facts.account_type == "standard"
    assert facts.is_controller is False
    assert facts.payout_schedule is not None and facts.payout_schedule.interval == "daily"


def test_custom_account_facts(make_account: MakeAccount) -> None:
    account = make_account(
        schedule={"interval": "weekly", "delay_days": 7, "weekly_anchor": "monday"},
        metadata={"risk_band": "low"},
    )
    facts = facts_from_account(account)
    assert facts.is_controller and facts.losses_payments == "application"
    assert facts.payout_schedule == PayoutScheduleState("weekly", 7, "monday", None)
    assert facts.capabilities == {"transfers": "active"}
    assert facts.metadata == {"risk_band": "low"}
    assert facts.mcc == "5734"


def test_type_is_inferred_from_the_dashboard_when_absent() -> None:
    account = {"id": "acct_1", "controller": {"stripe_dashboard": {"type": "express"}}}
    assert facts_from_account(account).account_type == "express"


def test_capability_objects_give_the_requested_flags(make_account: MakeAccount) -> None:
    caps = [
        {"id": "card_payments", "requested": False, "status": "unrequested"},
        {"id": "transfers", "requested": True, "status": "active"},
    ]
    facts = facts_from_account(make_account(), caps)
    assert facts.capability_requested == {"card_payments": False, "transfers": True}


def test_facts_do_not_share_state_with_the_input(make_account: MakeAccount) -> None:
    account = make_account(metadata={"a": "1"})
    facts = facts_from_account(account)
    account["metadata"]["a"] = "2"
    assert facts.metadata["a"] == "1"
    with pytest.raises(TypeError):
        facts.metadata["a"] = "3"  # type: ignore[index]


@pytest.mark.parametrize("bad", [{}, {"id": ""}, {"id": 7}])
def test_an_account_needs_an_id(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="id"):
        facts_from_account(bad)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)
fields = st.sampled_from(
    ["country", "business_type", "business_profile", "created", "controller", "settings",
     "capabilities", "metadata", "requirements", "type"]
)  # fmt: skip


@given(st.dictionaries(fields, json_values, max_size=6))
def test_any_shape_of_sparse_account_is_tolerated(extra: dict[str, Any]) -> None:
    facts = facts_from_account({"id": "acct_1", **extra})
    assert facts.account_id == "acct_1"
    assert facts.is_controller in (True, False)
