"""Stripe's bracket form encoding: the SDK's own encoder round-trips through our decoder."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stripe._encode import _api_encode

from service.stripe_emulator.errors import StripeError
from service.stripe_emulator.forms import coerce, decode_form, parse_pairs, split_key
from service.stripe_emulator.validation import SpecValidators

ACCOUNT = "/v1/accounts/{account}"

keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=8)
leaves = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
trees = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.dictionaries(keys, inner, min_size=1, max_size=4),
        st.lists(inner, min_size=1, max_size=3),
    ),
    max_leaves=12,
)


def _sdk_encode(params: dict[str, Any]) -> str:
    return urlencode(list(_api_encode(params)))


def _as_decoded(value: Any) -> Any:
    """What the decoder yields before schema coercion: lists become index-keyed hashes."""
    if isinstance(value, list):
        return {str(i): _as_decoded(v) for i, v in enumerate(value)}
    if isinstance(value, dict):
        return {k: _as_decoded(v) for k, v in value.items()}
    return value


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, trees, min_size=1, max_size=4))
def test_decoder_inverts_the_sdk_encoder(params: dict[str, Any]) -> None:
    assert decode_form(parse_pairs(_sdk_encode(params))) == _as_decoded(params)


@settings(max_examples=60, deadline=None)
@given(
    interval=st.sampled_from(["daily", "manual", "weekly", "monthly"]),
    delay=st.one_of(st.just("minimum"), st.integers(min_value=0, max_value=30)),
    days=st.lists(st.sampled_from(["monday", "tuesday", "friday"]), min_size=1, max_size=3),
    anchor=st.integers(min_value=1, max_value=31),
    debit=st.booleans(),
)
def test_schedule_params_coerce_back_to_what_the_sdk_was_given(
    validators: SpecValidators, interval: str, delay: Any, days: list[str], anchor: int, debit: bool
) -> None:
    params = {
        "settings": {
            "payouts": {
                "debit_negative_balances": debit,
                "schedule": {
                    "interval": interval,
                    "delay_days": delay,
                    "weekly_payout_days": days,
                    "monthly_anchor": anchor,
                },
            }
        },
        "metadata": {"123": "digits stay a key", "tier": ""},
    }
    raw = decode_form(parse_pairs(_sdk_encode(params)))
    assert validators.parse_request(ACCOUNT, "post", raw) == params


def test_unsetting_metadata_keeps_empty_strings(validators: SpecValidators) -> None:
    raw = decode_form(parse_pairs("metadata="))
    assert validators.parse_request(ACCOUNT, "post", raw) == {"metadata": ""}


def test_empty_string_where_stripe_cannot_unset_is_refused() -> None:
    schema = {"type": "object", "properties": {"email": {"type": "string"}}}
    with pytest.raises(StripeError) as caught:
        coerce({"email": ""}, schema)
    assert (caught.value.code, caught.value.param) == ("parameter_invalid_empty", "email")


def test_append_brackets_build_lists() -> None:
    assert decode_form([("expand[]", "a"), ("expand[]", "b")]) == {"expand": ["a", "b"]}


@pytest.mark.parametrize(
    ("key", "segments"),
    [("a", ["a"]), ("a[b][0]", ["a", "b", "0"]), ("a[]", ["a", ""]), ("a[b", ["a[b"])],
)
def test_split_key(key: str, segments: list[str]) -> None:
    assert split_key(key) == segments


def test_value_and_hash_for_one_key_is_a_400() -> None:
    with pytest.raises(StripeError) as caught:
        decode_form([("metadata", ""), ("metadata[k]", "v")])
    assert caught.value.status == 400
    assert caught.value.param == "metadata"
