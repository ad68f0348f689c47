"""Stripe's metadata limits through the SDK: 50 keys after merging, 40-character keys, 500-character
values, a 400 naming the hash, and nothing changed by a refused write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import stripe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.stripe_emulator.metadata import MAX_KEY_LENGTH, MAX_KEYS, MAX_VALUE_LENGTH

# Where the emulator stores metadata: the account, and the person behind `individual`.
Wrap = Callable[[dict[str, str] | str], dict[str, Any]]
TARGETS: dict[str, Wrap] = {
    "metadata": lambda metadata: {"metadata": metadata},
    "individual[metadata]": lambda metadata: {"individual": {"metadata": metadata}},
}
FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _keys(count: int, prefix: str = "k") -> dict[str, str]:
    return {f"{prefix}{i}": f"v{i}" for i in range(count)}


def _stored(client: stripe.StripeClient, account_id: str, param: str) -> dict[str, str]:
    account = client.v1.accounts.retrieve(account_id).to_dict()
    holder = account if param == "metadata" else account.get("individual") or {}
    return dict(holder.get("metadata") or {})


def _mutations(control: httpx.Client) -> int:
    return sum(1 for r in control.get("/_emulator/requests").json()["data"] if r["mutated"])


def _refused(
    client: stripe.StripeClient, control: httpx.Client, account_id: str, params: dict[str, Any]
) -> stripe.InvalidRequestError:
    """Assert an update is refused as Stripe refuses it, and that it changed nothing."""
    before = client.v1.accounts.retrieve(account_id).to_dict()
    mutations = _mutations(control)
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.accounts.update(account_id, params)
    assert caught.value.http_status == 400
    assert caught.value.error is not None and caught.value.error.type == "invalid_request_error"
    assert client.v1.accounts.retrieve(account_id).to_dict() == before  # still readable, as was
    assert _mutations(control) == mutations
    return caught.value


@pytest.mark.parametrize("param", TARGETS)
def test_each_limit_is_accepted_at_the_limit(client: stripe.StripeClient, param: str) -> None:
    account = client.v1.accounts.create({"type": "custom"})
    full = {**_keys(MAX_KEYS - 2), "k" * MAX_KEY_LENGTH: "v", "long": "x" * MAX_VALUE_LENGTH}
    client.v1.accounts.update(account.id, TARGETS[param](full))
    assert _stored(client, account.id, param) == full


@pytest.mark.parametrize("param", TARGETS)
@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        (_keys(MAX_KEYS), "up to 50 keys, but you've set 51"),  # 50 onto the 1 kept
        ({"k" * (MAX_KEY_LENGTH + 1): "v"}, "key that is 41 characters"),
        ({"k": "x" * (MAX_VALUE_LENGTH + 1)}, "value that is 501 characters"),
    ],
    ids=["51-keys", "41-character-key", "501-character-value"],
)
def test_each_limit_is_refused_one_over_and_nothing_changes(
    client: stripe.StripeClient,
    control: httpx.Client,
    param: str,
    metadata: dict[str, str],
    message: str,
) -> None:
    account = client.v1.accounts.create({"type": "custom"})
    client.v1.accounts.update(account.id, TARGETS[param]({"kept": "yes"}))
    error = _refused(client, control, account.id, TARGETS[param](metadata))
    assert error.error is not None and error.error.param == param
    assert message in str(error.error.message)
    assert _stored(client, account.id, param) == {"kept": "yes"}


def test_creating_an_account_over_a_limit_creates_nothing(client: stripe.StripeClient) -> None:
    for metadata in (_keys(MAX_KEYS + 1), {"k": "x" * (MAX_VALUE_LENGTH + 1)}):
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.accounts.create({"type": "custom", "metadata": metadata})
        assert caught.value.error is not None and caught.value.error.param == "metadata"
    assert client.v1.accounts.list().data == []


def test_the_key_limit_counts_the_merged_metadata(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    account = client.v1.accounts.create({"type": "custom", "metadata": _keys(MAX_KEYS - 5)})
    _refused(client, control, account.id, {"metadata": _keys(6, prefix="new")})
    client.v1.accounts.update(account.id, {"metadata": _keys(5, prefix="new")})
    assert len(_stored(client, account.id, "metadata")) == MAX_KEYS
    # Full: changing a value, or unsetting as many keys as are added, still fits.
    swap = {"k0": "", "k1": "", "other0": "a", "other1": "b", "k2": "changed"}
    client.v1.accounts.update(account.id, {"metadata": swap})
    stored = _stored(client, account.id, "metadata")
    assert (len(stored), stored["k2"], "k0" in stored) == (MAX_KEYS, "changed", False)
    _refused(client, control, account.id, {"metadata": {"one_more": "x"}})
    assert client.v1.accounts.update(account.id, {"metadata": ""}).metadata.to_dict() == {}


def test_a_refused_value_is_not_saved_under_its_idempotency_key(
    client: stripe.StripeClient,
) -> None:
    account = client.v1.accounts.create({"type": "custom"})
    options: stripe.RequestOptions = {"idempotency_key": "decision-7:metadata"}
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.accounts.update(
            account.id, {"metadata": {"note": "x" * (MAX_VALUE_LENGTH + 1)}}, options
        )
    # A parameter error saves nothing, as Stripe documents, so the corrected retry goes through.
    fixed = client.v1.accounts.update(account.id, {"metadata": {"note": "short"}}, options)
    assert fixed.metadata["note"] == "short"


@FAST
@given(
    key_length=st.integers(MAX_KEY_LENGTH - 3, MAX_KEY_LENGTH + 3),
    value_length=st.integers(MAX_VALUE_LENGTH - 3, MAX_VALUE_LENGTH + 3),
)
def test_lengths_are_refused_exactly_past_the_limit(
    client: stripe.StripeClient, key_length: int, value_length: int
) -> None:
    account = client.v1.accounts.create({"type": "custom"})
    metadata = {"k" * key_length: "v" * value_length}
    fits = key_length <= MAX_KEY_LENGTH and value_length <= MAX_VALUE_LENGTH
    try:
        client.v1.accounts.update(account.id, {"metadata": metadata})
    except stripe.InvalidRequestError as error:
        assert not fits and error.error is not None and error.error.param == "metadata"
    else:
        assert fits
    assert _stored(client, account.id, "metadata") == (metadata if fits else {})


@FAST
@given(
    stored=st.integers(0, MAX_KEYS),
    added=st.integers(0, 8),
    unset=st.integers(0, 8),
    param=st.sampled_from(sorted(TARGETS)),
)
def test_updates_merge_and_the_merged_result_is_held_to_50_keys(
    client: stripe.StripeClient, stored: int, added: int, unset: int, param: str
) -> None:
    account = client.v1.accounts.create({"type": "custom"})
    if stored:
        client.v1.accounts.update(account.id, TARGETS[param](_keys(stored)))
    patch = {**_keys(added, prefix="new"), **{f"k{i}": "" for i in range(unset)}}
    expected = {k: v for k, v in {**_keys(stored), **patch}.items() if v != ""}
    try:
        client.v1.accounts.update(account.id, TARGETS[param](patch))
    except stripe.InvalidRequestError as error:
        assert len(expected) > MAX_KEYS and error.error is not None and error.error.param == param
        expected = _keys(stored)
    else:
        assert len(expected) <= MAX_KEYS
    assert _stored(client, account.id, param) == expected
