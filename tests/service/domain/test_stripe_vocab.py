"""The domain's Stripe vocabulary matches the spec and the SDK's pinned API version."""

from __future__ import annotations

import typing
from typing import Any

import stripe
from stripe.params._account_reject_params import AccountRejectParams
from stripe.params._account_update_params import AccountUpdateParamsCapabilities

from service.domain import stripe_vocab


def test_pinned_version_is_the_sdks() -> None:
    assert stripe.api_version == stripe_vocab.API_VERSION


def test_capabilities_are_the_specs_plus_the_sdks(spec: dict[str, Any]) -> None:
    in_spec = set(spec["components"]["schemas"]["account_capabilities"]["properties"])
    in_sdk = set(AccountUpdateParamsCapabilities.__annotations__)
    assert stripe_vocab.SPEC_CAPABILITIES == in_spec
    assert stripe_vocab.CAPABILITY_NAMES == in_spec | in_sdk


def test_reject_reasons_are_the_sdks() -> None:
    literal = typing.get_args(AccountRejectParams.__annotations__["reason"])[0]
    assert set(typing.get_args(literal)) == set(stripe_vocab.REJECT_REASONS)
    assert "fraud" not in stripe_vocab.REJECT_REASONS


def test_payout_enums_are_the_specs(spec: dict[str, Any]) -> None:
    body = spec["paths"]["/v1/accounts/{account}"]["post"]["requestBody"]
    params = body["content"]["application/x-www-form-urlencoded"]["schema"]["properties"]
    schedule = params["settings"]["properties"]["payouts"]["properties"]["schedule"]["properties"]
    assert set(schedule["interval"]["enum"]) == set(stripe_vocab.PAYOUT_INTERVALS)
    assert set(schedule["weekly_anchor"]["enum"]) == set(stripe_vocab.WEEKLY_ANCHORS)
    account = spec["components"]["schemas"]["account"]["properties"]
    assert set(account["business_type"]["enum"]) == set(stripe_vocab.BUSINESS_TYPES)
    assert set(account["type"]["enum"]) == set(stripe_vocab.ACCOUNT_TYPES)
