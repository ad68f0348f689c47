"""Shared fixtures for the policy domain: the default policy, a fixed clock, account builders."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from service.domain.facts import AccountFacts, facts_from_account
from service.domain.policy_model import Policy
from service.domain.policy_yaml import default_policy_text, load_default_policy
from service.stripe_emulator.spec import find_spec_path

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)

MakeAccount = Callable[..., dict[str, Any]]
MakeFacts = Callable[..., AccountFacts]


@pytest.fixture(scope="session")
def now() -> datetime:
    """The decision time of every test: fixed, so account ages are exact."""
    return NOW


@pytest.fixture(scope="session")
def default_policy() -> Policy:
    return load_default_policy()


@pytest.fixture(scope="session")
def policy_text() -> str:
    return default_policy_text()


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    return json.loads(find_spec_path().read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def fixture_account() -> dict[str, Any]:
    """fixtures3.json's account: a Standard account connected by OAuth (no platform control)."""
    fixtures = json.loads((find_spec_path().parent / "fixtures3.json").read_text("utf-8"))
    return copy.deepcopy(fixtures["resources"]["account"])


@pytest.fixture
def make_account() -> MakeAccount:
    """A Custom-style account dict (platform controls it and carries losses), with overrides."""

    def _make(
        *,
        account_id: str = "acct_1TestAccount0001",
        country: str = "US",
        business_type: str | None = "company",
        mcc: str | None = "5734",
        age_days: int = 400,
        schedule: dict[str, Any] | None = None,
        capabilities: dict[str, str] | None = None,
        metadata: dict[str, str] | None = None,
        is_controller: bool | None = True,
        losses: str = "application",
        account_type: str = "custom",
        disabled_reason: str | None = None,
    ) -> dict[str, Any]:
        return {
            "id": account_id,
            "object": "account",
            "type": account_type,
            "country": country,
            "business_type": business_type,
            "business_profile": {"mcc": mcc},
            "created": int((NOW - timedelta(days=age_days)).timestamp()),
            "controller": {
                "type": "application",
                "is_controller": is_controller,
                "losses": {"payments": losses},
            },
            "settings": {
                "payouts": {"schedule": schedule or {"interval": "daily", "delay_days": 2}}
            },
            "capabilities": capabilities if capabilities is not None else {"transfers": "active"},
            "metadata": metadata or {},
            "requirements": {"disabled_reason": disabled_reason},
        }

    return _make


@pytest.fixture
def make_facts(make_account: MakeAccount) -> MakeFacts:
    """AccountFacts built through facts_from_account from make_account's dict."""

    def _make(**overrides: Any) -> AccountFacts:
        return facts_from_account(make_account(**overrides))

    return _make
