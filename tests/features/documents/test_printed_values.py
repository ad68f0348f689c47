"""Dates, amounts and numbers however a document prints them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from features.documents.amounts import detect_currency, find_amount, parse_number
from features.documents.identifiers import parse_identifier, parse_name, parse_tax_id
from features.documents.places import infer_country
from features.documents.printed_dates import find_dates, prefers_month_first

MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]  # fmt: skip
MONTHS_DE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
             "September", "Oktober", "November", "Dezember"]  # fmt: skip
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]  # fmt: skip

FORMATS = {
    "iso": lambda d: d.isoformat(),
    "dmy_slash": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "dmy_dot": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "english_us": lambda d: f"{MONTHS_EN[d.month - 1]} {d.day}, {d.year}",
    "english_uk": lambda d: f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}",
    "abbreviated": lambda d: f"{d.day:02d}-{MONTHS_EN[d.month - 1][:3]}-{d.year}",
    "german": lambda d: f"{d.day}. {MONTHS_DE[d.month - 1]} {d.year}",
    "french": lambda d: f"{d.day} {MONTHS_FR[d.month - 1]} {d.year}",
}


def midnight(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(sorted(FORMATS)),
    st.sampled_from(["Issued on ", "Date: ", "", "Statement to "]),
)
def test_a_printed_date_reads_back_as_the_same_day(day: date, style: str, before: str) -> None:
    text = f"{before}{FORMATS[style](day)} page 1"
    assert [found.seconds for found in find_dates(text)] == [midnight(day)]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)))
def test_month_first_dates_follow_the_documents_convention(day: date) -> None:
    us = f"{day.month:02d}/{day.day:02d}/{day.year}"
    found = find_dates(us, month_first=prefers_month_first(f"Amount $12.00 {us}"))
    assert [item.seconds for item in found] == [midnight(day)]


def test_an_unambiguous_date_decides_the_convention_for_the_others() -> None:
    text = "Period 13/01/2025 - 02/03/2025"
    month_first = prefers_month_first(text)
    assert not month_first
    assert find_dates(text, month_first=month_first)[1].seconds == midnight(date(2025, 3, 2))


@pytest.mark.parametrize("text", ["31/02/2025", "ref 12.34.5678", "v1.2.2025x", "2025-13-01"])
def test_impossible_or_embedded_dates_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


GROUPINGS = {
    "en": (",", "."),
    "de": (".", ","),
    "fr": ("\u202f", ","),
    "ch": ("'", "."),
    "space": (" ", ","),
}


def printed(cents: int, style: str) -> str:
    thousands, decimal = GROUPINGS[style]
    whole, fraction = divmod(cents, 100)
    grouped = f"{whole:,}".replace(",", thousands)
    return f"{grouped}{decimal}{fraction:02d}"


@given(
    st.integers(min_value=0, max_value=10**11),
    st.sampled_from(sorted(GROUPINGS)),
    st.sampled_from(["{} EUR", "€ {}", "${}", "{}", "GBP {}", "{} CHF"]),
)
def test_an_amount_reads_back_in_any_locale(cents: int, style: str, template: str) -> None:
    text = "Closing balance " + template.format(printed(cents, style))
    value = find_amount(text)
    assert value is not None and round(value * 100) == cents


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(["-{}", "({})", "{} DR", "{}-"]))
def test_debit_notations_read_as_negative(cents: int, template: str) -> None:
    value = find_amount("Balance " + template.format(printed(cents, "en")))
    assert value is not None and round(value * 100) == -cents


def test_bare_counts_are_not_amounts() -> None:
    assert find_amount("Page 2 of 14, 3 items") is None
    assert parse_number("1.234") == 1234.0
    assert parse_number("12,5") == 12.5


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("Currency: CHF Total 12.00 EUR", "chf"),
        ("Total 12.00 EUR, fee 1.00 EUR, 3.00 USD", "eur"),
        ("Balance £12.00", "gbp"),
        ("Balance A$12.00", "aud"),
        ("Balance 12.00", None),
    ],
)
def test_the_statement_currency_is_the_labelled_or_most_frequent_one(
    text: str, currency: str | None
) -> None:
    assert detect_currency(text) == currency


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12345678", "12345678"),
        ("No. 12345678 (England and Wales)", "12345678"),
        ("HRB 123456 B", "HRB 123456 B"),
        ("REF RK/911356", None),
        ("14/03/2025", None),
        ("123", None),
    ],
)
def test_registration_numbers_must_start_the_value(text: str, expected: str | None) -> None:
    assert parse_identifier(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12-3456789", "12-3456789"),
        ("is DE 123456789 since", "DE 123456789"),
        ("IE1441429F", "IE1441429F"),
        ("402811749RT0001", "402811749RT0001"),
    ],
)
def test_tax_numbers_in_their_usual_shapes(text: str, expected: str) -> None:
    assert parse_tax_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tallis Forge Pty Ltd as the ratepayer for the property", "Tallis Forge Pty Ltd"),
        ("Jonas Becker", "Jonas Becker"),
        ("named above has been registered", None),
        ("Premises:", None),
        ("12 High Street", None),
        ("Registered office", None),
    ],
)
def test_names_are_cut_from_the_sentence_they_run_into(text: str, expected: str | None) -> None:
    assert parse_name(text) == expected


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("10 Downing Street, London SW1A 2AA", "GB"),
        ("1 Main St, Springfield, IL 62704", "US"),
        ("Hauptstr. 5, 10115 Berlin, Deutschland", "DE"),
        ("IBAN FR76 3000 6000 0112 3456 7890 189", "FR"),
        ("22 King Street, Brisbane QLD 4000", "AU"),
        ("199 Harbour Road, Galway H91 E2K3", "IE"),
        ("12 rue X 75001", None),
    ],
)
def test_the_country_comes_from_names_ibans_and_postcode_shapes(
    text: str, country: str | None
) -> None:
    assert infer_country(text) == country
