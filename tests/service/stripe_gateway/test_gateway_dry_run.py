"""Dry-run without STRIPE_API_KEY: actions are recorded, nothing is sent; the factory's choice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import SecretStr

from service.domain.actions import PlannedAction
from service.settings import Settings
from service.stripe_gateway.dry_run import DryRunGateway
from service.stripe_gateway.errors import AccountNotFound
from service.stripe_gateway.factory import build_gateway
from service.stripe_gateway.sdk_gateway import SdkStripeGateway

MakeAction = Callable[..., PlannedAction]


def test_dry_run_records_instead_of_sending(action: MakeAction) -> None:
    gateway = DryRunGateway()
    planned = action("metadata", "acct_1", {"metadata": {"risk_band": "low"}})
    result = gateway.apply(planned)
    assert result.status == "dry_run" and result.idempotency_key == planned.idempotency_key
    assert result.response_excerpt == {"would_send": {"metadata": {"risk_band": "low"}}}
    assert gateway.sent == [planned]


def test_dry_run_knows_only_accounts_it_was_shown() -> None:
    account: dict[str, Any] = {"id": "acct_1Seen", "object": "account", "metadata": {}}
    gateway = DryRunGateway([account])
    copy = gateway.retrieve_account("acct_1Seen")
    copy["metadata"]["x"] = "y"
    assert gateway.retrieve_account("acct_1Seen")["metadata"] == {}
    assert gateway.list_capabilities("acct_1Seen") == []
    with pytest.raises(AccountNotFound, match="dry run"):
        gateway.retrieve_account("acct_1Unseen")


def test_dry_run_refuses_what_must_not_be_sent(action: MakeAction) -> None:
    planned = action("reject", "acct_1", {"reason": "fraud_other"})
    waiting = PlannedAction(**{**planned.__dict__, "status": "awaiting_review"})
    with pytest.raises(ValueError, match="not to be sent"):
        DryRunGateway().apply(waiting)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("STRIPE_API_KEY", "STRIPE_API_BASE", "CONNECT_RISK_STRIPE_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("clean_env")
def test_no_api_key_means_dry_run() -> None:
    assert isinstance(build_gateway(Settings()), DryRunGateway)
    assert isinstance(build_gateway(Settings(stripe_api_key=SecretStr(""))), DryRunGateway)


@pytest.mark.usefixtures("clean_env")
def test_an_api_key_means_the_sdk_gateway() -> None:
    settings = Settings(stripe_api_key=SecretStr("sk_test_x"), stripe_api_base="http://127.0.0.1:9")
    assert isinstance(build_gateway(settings), SdkStripeGateway)
