"""Emulator speed: cached per-operation validation, and SDK round trips over real HTTP."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import pytest
import stripe
from openapi_schema_validator import OAS30Validator

from service.stripe_emulator.config import EmulatorConfig
from service.stripe_emulator.forms import coerce, decode_form, parse_pairs
from service.stripe_emulator.rules import endive_request_schema
from service.stripe_emulator.schema_tools import close_objects
from service.stripe_emulator.server import EmulatorServer
from service.stripe_emulator.spec import find_spec_path, request_body_schema
from service.stripe_emulator.validation import validators_for

ACCOUNT = "/v1/accounts/{account}"
BODY = (
    "settings[payouts][schedule][interval]=weekly&settings[payouts][schedule][weekly_anchor]=monday"
    "&settings[payouts][schedule][delay_days]=7&metadata[risk_tier]=enhanced"
    "&capabilities[card_payments][requested]=false"
)
REPEATS = 5


def _median_seconds(action: Callable[[], object], per_repeat: int) -> float:
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        for _ in range(per_repeat):
            action()
        timings.append((time.perf_counter() - started) / per_repeat)
    return statistics.median(timings)


@pytest.mark.benchmark
def test_cached_validation_vs_compiling_per_request() -> None:
    validators = validators_for(find_spec_path())
    raw = decode_form(parse_pairs(BODY))
    validators.parse_request(ACCOUNT, "post", raw)  # first use builds the cached validator

    def cached() -> object:
        return validators.parse_request(ACCOUNT, "post", raw)

    def compiled_each_time() -> object:
        base = request_body_schema(validators.spec, ACCOUNT, "post")
        schema = close_objects(endive_request_schema(ACCOUNT, "post", base))
        return list(OAS30Validator(schema).iter_errors(coerce(raw, schema)))

    fast = _median_seconds(cached, 200)
    slow = _median_seconds(compiled_each_time, 20)
    print(
        f"\nrequest validation: cached {fast * 1e6:.0f} us, compiled per request "
        f"{slow * 1e6:.0f} us (baseline), ratio {fast / slow:.3f}"
    )
    assert fast < slow


@pytest.mark.benchmark
def test_sdk_round_trips() -> None:
    with EmulatorServer(EmulatorConfig(port=0, capability_review_seconds=None)) as server:
        client = stripe.StripeClient("sk_test_bench", base_addresses={"api": server.base_url})
        account = client.v1.accounts.create({"type": "custom"})
        counter = iter(range(10**9))

        def update() -> object:
            return client.v1.accounts.update(account.id, {"metadata": {"n": str(next(counter))}})

        def retrieve() -> object:
            return client.v1.accounts.retrieve(account.id)

        read = _median_seconds(retrieve, 30)
        write = _median_seconds(update, 30)
    print(
        f"\nSDK round trip: update {write * 1e3:.2f} ms (validate, mutate, check, event) vs "
        f"retrieve {read * 1e3:.2f} ms (baseline), ratio {write / read:.2f}"
    )
    assert write > 0 and read > 0
