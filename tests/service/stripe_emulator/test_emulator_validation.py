"""Request validation against spec3.json, and the response validator's own fidelity."""

from __future__ import annotations

import copy
import gzip
import hashlib
from pathlib import Path
from typing import Any

import pytest

from service.stripe_emulator.app import ENDPOINTS, Pipeline
from service.stripe_emulator.config import EmulatorConfig
from service.stripe_emulator.emulator import Emulator
from service.stripe_emulator.errors import StripeError
from service.stripe_emulator.forms import decode_form, parse_pairs
from service.stripe_emulator.rules import REJECT_REASONS
from service.stripe_emulator.spec import (
    BUNDLED_SPEC,
    SPEC_ENV,
    SpecNotFoundError,
    find_spec_path,
    load_fixtures,
    load_spec,
)
from service.stripe_emulator.validation import SpecValidators

ACCOUNT = "/v1/accounts/{account}"
REJECT = "/v1/accounts/{account}/reject"


def _error(validators: SpecValidators, body: str, path: str = ACCOUNT) -> StripeError:
    with pytest.raises(StripeError) as caught:
        validators.parse_request(path, "post", decode_form(parse_pairs(body)))
    assert caught.value.status == 400
    return caught.value


@pytest.mark.parametrize(
    ("body", "param", "code"),
    [
        ("foo=1", "foo", "parameter_unknown"),
        ("settings[payouts][foo]=1", "settings[payouts][foo]", "parameter_unknown"),
        (
            "settings[payouts][schedule][every]=day",
            "settings[payouts][schedule][every]",
            "parameter_unknown",
        ),
        ("capabilities[teleport][requested]=true", "capabilities[teleport]", "parameter_unknown"),
        ("email=", "email", "parameter_invalid_empty"),
        (
            "settings[payouts][schedule][monthly_anchor]=first",
            "settings[payouts][schedule][monthly_anchor]",
            "parameter_invalid_integer",
        ),
        (
            "settings[payouts][schedule][interval]=hourly",
            "settings[payouts][schedule][interval]",
            None,
        ),
        (
            "settings[payouts][schedule][delay_days]=soon",
            "settings[payouts][schedule][delay_days]",
            None,
        ),
        ("capabilities[transfers][requested]=maybe", "capabilities[transfers][requested]", None),
    ],
)
def test_invalid_update_params_name_the_param(
    validators: SpecValidators, body: str, param: str, code: str | None
) -> None:
    error = _error(validators, body)
    assert (error.param, error.code, error.type) == (param, code, "invalid_request_error")
    value = body.rsplit("=", 1)[1]
    assert param in error.message or f": {value}" in error.message  # Stripe echoes one of them


def test_unknown_parameter_message_is_stripes(validators: SpecValidators) -> None:
    error = _error(validators, "settings[payouts][foo]=1")
    assert error.message == "Received unknown parameter: settings[payouts][foo]"


def test_delay_days_accepts_minimum_or_an_integer(validators: SpecValidators) -> None:
    for value, expected in (("minimum", "minimum"), ("4", 4)):
        raw = decode_form(parse_pairs(f"settings[payouts][schedule][delay_days]={value}"))
        parsed = validators.parse_request(ACCOUNT, "post", raw)
        assert parsed["settings"]["payouts"]["schedule"]["delay_days"] == expected


def test_endive_reject_reasons(validators: SpecValidators) -> None:
    for reason in REJECT_REASONS:
        parsed = validators.parse_request(REJECT, "post", {"reason": reason})
        assert parsed["reason"] == reason
    error = _error(validators, "reason=fraud", REJECT)
    assert error.param == "reason"
    assert _error(validators, "payouts_action=pause", REJECT).code == "parameter_missing"


def test_endive_only_update_params_are_accepted(validators: SpecValidators) -> None:
    body = (
        "capabilities[wero_payments][requested]=true"
        "&business_profile[specified_commercial_transactions_act_url]=https://example.com/sct"
        "&company[physical_address][city]=Osaka"
        "&external_account[object]=bank_account&external_account[country]=US"
    )
    parsed = validators.parse_request(ACCOUNT, "post", decode_form(parse_pairs(body)))
    assert parsed["capabilities"] == {"wero_payments": {"requested": True}}


def test_query_parameters_are_validated(validators: SpecValidators) -> None:
    parsed = validators.parse_request(ACCOUNT, "get", decode_form(parse_pairs("expand%5B0%5D=x")))
    assert parsed == {"expand": ["x"]}
    with pytest.raises(StripeError) as caught:
        validators.parse_request(ACCOUNT, "get", {"limit": "3"})
    assert caught.value.param == "limit"


@pytest.mark.parametrize("resource", ["account", "capability", "event", "person", "bank_account"])
def test_every_fixture_is_valid_against_its_schema(
    validators: SpecValidators, resource: str
) -> None:
    assert validators.response_errors(resource, validators.fixtures[resource]) == []


def _broken(resource: str, fixture: dict[str, Any]) -> dict[str, Any]:
    broken = copy.deepcopy(fixture)
    if resource == "account":
        broken["capabilities"]["transfers"] = "unrequested"  # only Capability objects have it
    elif resource == "capability":
        del broken["requested"]
    else:
        broken["livemode"] = "false"
    return broken


@pytest.mark.parametrize("resource", ["account", "capability", "event"])
def test_a_broken_fixture_is_refused(validators: SpecValidators, resource: str) -> None:
    broken = _broken(resource, validators.fixtures[resource])
    assert validators.response_errors(resource, broken) != []


def test_nullable_enums_admit_null_but_not_other_values(validators: SpecValidators) -> None:
    account = copy.deepcopy(validators.fixtures["account"])
    account["business_type"] = None
    assert validators.response_errors("account", account) == []
    account["business_type"] = "sole_trader"
    assert any("business_type" in p for p in validators.response_errors("account", account))


def test_missing_spec_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SPEC_ENV, str(tmp_path / "nope.json"))
    with pytest.raises(SpecNotFoundError, match=SPEC_ENV):
        find_spec_path()
    monkeypatch.delenv(SPEC_ENV)
    monkeypatch.chdir(tmp_path)
    assert find_spec_path().name == "spec3.json"  # still found from the package's location


def test_an_answer_that_breaks_the_spec_becomes_a_500() -> None:
    emulator = Emulator(EmulatorConfig(port=0))
    pipeline = Pipeline(emulator)
    retrieve = next(e for e in ENDPOINTS if (e.method, e.path) == ("GET", ACCOUNT))
    good = {"id": "acct_1", "object": "account", "charges_enabled": True}
    assert pipeline.checked_body(retrieve, good) == good
    with pytest.raises(StripeError) as caught:
        pipeline.checked_body(retrieve, {**good, "charges_enabled": "yes"})
    assert (caught.value.status, caught.value.type) == (500, "api_error")
    assert "charges_enabled" in caught.value.message
    emulator.close()


def test_the_bundled_spec_is_stripes_file_unmodified() -> None:
    digest = hashlib.sha256(gzip.decompress(BUNDLED_SPEC.read_bytes())).hexdigest()
    assert digest == "f0e0fc8fffbffda45bf5f3df59846443c1d47a3cfcbfae232eedf4743124ebee"
    assert "/v1/accounts/{account}/reject" in load_spec(BUNDLED_SPEC)["paths"]
    assert load_fixtures(BUNDLED_SPEC)["account"]["object"] == "account"
