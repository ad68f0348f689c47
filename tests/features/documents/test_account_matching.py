"""Comparing what a document prints with what the Stripe Account says."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from features.documents.matching import (
    account_names,
    account_numbers,
    address_similarity,
    name_similarity,
    numbers_match,
    postcode_in,
    registration_date,
)

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10)


@given(
    st.lists(words, min_size=1, max_size=4),
    st.sampled_from(["Ltd", "Limited", "GmbH", "LLC", "Inc.", "S.A.S.", ""]),
    st.sampled_from(["Ltd", "LIMITED", "", "B.V."]),
)
def test_case_punctuation_order_and_legal_form_do_not_change_a_name(
    stem: list[str], form: str, other_form: str
) -> None:
    account = " ".join(stem + [form]).title()
    printed = ", ".join(reversed(stem)).upper() + f" {other_form}"
    assert name_similarity(printed, [account]) == 1.0


@given(st.lists(words, min_size=2, max_size=3), st.lists(words, min_size=2, max_size=3))
def test_only_the_same_words_score_full_marks(left: list[str], right: list[str]) -> None:
    same = name_similarity(" ".join(left), [" ".join(left)])
    other = name_similarity(" ".join(left), [" ".join(right)])
    assert same == 1.0
    # token-set similarity treats a name contained in the other as the same name
    nested = set(left) <= set(right) or set(right) <= set(left)
    assert other is not None and (other < 1.0 or nested)


def test_the_best_of_several_account_names_counts() -> None:
    assert name_similarity("Jane Doe", ["Acme Trading", "Doe, Jane"]) == 1.0
    assert name_similarity("Ltd", ["Acme Ltd"]) is None
    assert name_similarity("Acme", []) is None


@pytest.mark.parametrize(
    ("printed", "known", "same"),
    [
        ("HRB 123456 B", "HRB123456", True),
        ("B 812 345 678", "812345678", True),
        ("DE123456789", "123456789", True),
        ("12-3456789", "123456789", True),
        ("08814182", "08814183", False),
        ("1234", "12345", False),
    ],
)
def test_numbers_match_however_they_are_spaced_or_prefixed(
    printed: str, known: str, same: bool
) -> None:
    assert numbers_match(printed, known) is same


def test_addresses_match_across_abbreviations_and_order() -> None:
    printed = "12 High St, London SW1A 1AA, United Kingdom"
    assert address_similarity(printed, ["12 High Street SW1A 1AA London"]) == 1.0
    other = address_similarity(printed, ["99 Queen Road M1 1AE Manchester"])
    assert other is not None and other < 0.6
    assert postcode_in(printed, ["sw1a1aa"]) is True
    assert postcode_in(printed, ["M1 1AE"]) is False
    assert postcode_in(printed, [""]) is None


ACCOUNT = {
    "business_profile": {"name": "Acme Shop"},
    "company": {
        "name": "Acme Trading Ltd",
        "registration_date": {"day": 14, "month": 3, "year": 2025},
        "registration_number": "12345678",
    },
    "individual": {"first_name": "Jane", "last_name": "Doe"},
    "metadata": {"vat_id": "GB123456789"},
}


def test_account_facts_are_read_where_stripe_and_exports_put_them() -> None:
    assert account_names(ACCOUNT) == ["Acme Shop", "Acme Trading Ltd", "Jane Doe"]
    assert account_numbers(ACCOUNT, "registration") == ["12345678"]
    assert account_numbers(ACCOUNT, "tax") == ["GB123456789"]
    assert registration_date(ACCOUNT) == 1741910400
    assert registration_date({"company": {"registration_date": {"day": None}}}) is None
    assert account_names({"id": "acct_1", "object": "account"}) == []
