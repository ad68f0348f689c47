"""The inline Account schema keeps whatever JSON a database can store, exactly as sent, and
refuses the rest."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from service.api.schemas.scores import ScoreRequest

text = st.text(st.characters(exclude_categories=()), max_size=8)  # surrogates included
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=12,
)


def _storable(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=False, ensure_ascii=False).encode()
    except (ValueError, UnicodeEncodeError):
        return False
    return True


@given(extras=st.dictionaries(text.map(lambda key: f"x_{key}"), json_values, max_size=4))
def test_unread_fields_are_kept_exactly_or_refused(extras: dict[str, Any]) -> None:
    account = {"id": "acct_1Property", "object": "account", **extras}
    try:
        request = ScoreRequest.model_validate({"account": account})
    except ValidationError as error:
        assert not _storable(extras)
        assert [e["loc"] for e in error.errors()] == [("account",)]
    else:
        assert _storable(extras)
        assert request.account_object() == account


@given(
    country=st.none() | text,
    created=st.none() | st.integers(min_value=0, max_value=2**40),
    charges_enabled=st.none() | st.booleans(),
)
def test_typed_fields_of_the_right_type_round_trip(
    country: str | None, created: int | None, charges_enabled: bool | None
) -> None:
    account = {
        "id": "acct_1Property",
        "country": country,
        "created": created,
        "charges_enabled": charges_enabled,
        "business_profile": {"mcc": "5734", "name": country},
    }
    if not _storable(account):
        with pytest.raises(ValidationError):
            ScoreRequest.model_validate({"account": account})
        return
    assert ScoreRequest.model_validate({"account": account}).account_object() == account
