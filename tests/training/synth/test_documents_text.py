"""Printable text, dates and amounts as the document layouts write them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from training.synth.documents.text import (
    DATE_STYLES,
    address_lines,
    format_amount,
    format_date,
    to_pdf_text,
)
from training.synth.plan import Address

PI_DAY = int(datetime(2025, 3, 14, 10, 30, tzinfo=UTC).timestamp())


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("iso", "2025-03-14"),
        ("dmy_slash", "14/03/2025"),
        ("mdy_slash", "03/14/2025"),
        ("mdy_long", "March 14, 2025"),
        ("dmy_long", "14 March 2025"),
        ("dmy_dot", "14.03.2025"),
        ("dmy_dash", "14-03-2025"),
    ],
)
def test_date_styles(style, expected):
    assert format_date(PI_DAY, style) == expected


def test_unknown_date_style_is_refused():
    with pytest.raises(ValueError, match="unknown date style"):
        format_date(PI_DAY, "julian")
    assert len(DATE_STYLES) == 7


@pytest.mark.parametrize(
    ("minor", "currency", "country", "expected"),
    [
        (123456789, "usd", "US", "1,234,567.89"),
        (-123456, "gbp", "GB", "-1,234.56"),
        (123456789, "eur", "DE", "1.234.567,89"),
        (1234567, "eur", "FR", "12 345,67"),
        (5, "eur", "NL", "0,05"),
        (1234, "jpy", "JP", "1,234"),
    ],
)
def test_amounts_use_the_country_separators(minor, currency, country, expected):
    assert format_amount(minor, currency, country) == expected


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Müller & Söhne GmbH", "Müller & Söhne GmbH"),
        ("Łódź  Sp. z o.o.", "Lódz Sp. z o.o."),
        ("ООО Ромашка", "OOO Romashka"),
        ("東京商事", "????"),
        ("A\x00B\u00adC\tD", "ABC D"),
        ("Café € (Paris)", "Café € (Paris)"),
    ],
)
def test_printable_form(raw, shown):
    assert to_pdf_text(raw) == shown


@given(st.text())
def test_printable_form_always_encodes_in_winansi(raw):
    shown = to_pdf_text(raw)
    shown.encode("cp1252")
    assert shown == " ".join(shown.split())
    assert all(ord(c) >= 32 and not 127 <= ord(c) < 160 for c in shown)


def test_address_lines_follow_the_country_order():
    us = Address("1 Main St", "Austin", "78701", "US", "TX")
    de = Address("Hauptstraße 5", "Köln", "50667", "DE")
    assert address_lines(us) == ["1 Main St", "Austin, TX 78701", "United States"]
    assert address_lines(de) == ["Hauptstraße 5", "50667 Köln", "Germany"]
