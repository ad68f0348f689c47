"""What a page can print: WinAnsi-safe text, and dates, amounts and addresses per country."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from functools import lru_cache

from training.synth.plan import Address

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Letters NFKD cannot reduce to Latin-1 but a clerk would still type in Latin letters.
_LATIN = {
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ı": "i", "ŀ": "l", "Ŀ": "L",
    "ŧ": "t", "Ŧ": "T", "ĸ": "k", "ŉ": "'n", "ẞ": "SS", "ŋ": "ng", "Ŋ": "NG",
}  # fmt: skip
_CYRILLIC_SOUNDS = (
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i ye yi g"
)
_CYRILLIC = dict(
    zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяієїґ", _CYRILLIC_SOUNDS.split(), strict=True)
)
# Soft hyphens are invisible on paper (C0/C1 controls are dropped by code point).
_DROP = {"\u00ad"}

DATE_STYLES = ("iso", "dmy_slash", "mdy_slash", "mdy_long", "dmy_long", "dmy_dot", "dmy_dash")
_COUNTRY_DATE_STYLES = {
    "US": ("mdy_long", "mdy_slash", "iso"),
    "CA": ("iso", "mdy_long", "dmy_slash"),
    "DE": ("dmy_dot", "dmy_dot", "iso"),
    "AT": ("dmy_dot", "dmy_dot", "iso"),
    "CH": ("dmy_dot", "dmy_dot", "iso"),
    "NL": ("dmy_dash", "dmy_dash", "iso"),
    "BE": ("dmy_slash", "dmy_dash", "iso"),
}
_DMY_LONG = {"GB", "IE", "AU", "NZ"}  # English-speaking: "14 March 2025"
_DMY_SLASH = {"FR", "ES", "IT", "PT", "LU"}
_LANGUAGES = {"DE": "de", "AT": "de", "NL": "nl", "FR": "fr", "LU": "fr"}
_LETTER_COUNTRIES = {"US", "CA", "MX"}
_DECIMAL_POINT = {"US", "GB", "IE", "AU", "NZ", "CA", "SG", "HK", "JP", "IN", "MX", "MY", "PH"}
_ZERO_DECIMAL = {
    "bif",
    "clp",
    "djf",
    "gnf",
    "jpy",
    "kmf",
    "krw",
    "mga",
    "pyg",
    "rwf",
    "ugx",
    "vnd",
    "vuv",
    "xaf",
    "xof",
    "xpf",
}
COUNTRY_NAMES = {
    "US": "United States", "GB": "United Kingdom", "DE": "Germany", "NL": "Netherlands",
    "FR": "France", "AU": "Australia", "CA": "Canada", "IE": "Ireland", "ES": "Spain",
    "IT": "Italy", "AT": "Austria", "BE": "Belgium", "CH": "Switzerland", "PT": "Portugal",
    "NZ": "New Zealand", "SG": "Singapore", "SE": "Sweden", "DK": "Denmark", "PL": "Poland",
    "LU": "Luxembourg", "JP": "Japan", "MX": "Mexico",
}  # fmt: skip


def _char_for_page(ch: str) -> str:
    """One character as a WinAnsi page can print it (transliterated, or '?' when hopeless)."""
    if ch.isspace():
        return " "
    code = ord(ch)
    if code < 32 or 127 <= code < 160 or ch in _DROP:
        return ""
    try:
        ch.encode("cp1252")
        return ch
    except UnicodeEncodeError:
        pass
    if ch in _LATIN:
        return _LATIN[ch]
    lower = ch.lower()
    if lower in _CYRILLIC:
        latin = _CYRILLIC[lower].strip("-")
        return latin.capitalize() if ch != lower else latin
    parts = []
    for part in unicodedata.normalize("NFKD", ch):
        if unicodedata.combining(part) or ord(part) < 32 or 127 <= ord(part) < 160:
            continue
        try:
            part.encode("cp1252")
        except UnicodeEncodeError:
            continue
        parts.append(part)
    return "".join(parts) or "?"


@lru_cache(maxsize=1 << 16)
def to_pdf_text(text: str) -> str:
    """The string a base-14-font page shows for `text`: cp1252-encodable, whitespace collapsed.

    Base-14 fonts only cover WinAnsi, so other letters are transliterated (NFKD, Cyrillic) or
    become '?'. Document parsers compare extracted text with this, not with the raw identity.
    """
    try:
        text.encode("cp1252")
        simple = not any(ord(c) < 32 or 127 <= ord(c) < 160 or c in _DROP for c in text)
    except UnicodeEncodeError:
        simple = False
    if not simple:
        text = "".join(_char_for_page(c) for c in text)
    return " ".join(text.split())


def utc(ts: int) -> datetime:
    """The UTC datetime of a Unix second."""
    return datetime.fromtimestamp(ts, tz=UTC)


def format_date(ts: int, style: str) -> str:
    """`ts` in one of DATE_STYLES, e.g. dmy_dot 14.03.2025, mdy_long March 14, 2025 (UTC)."""
    d = utc(ts)
    if style == "iso":
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    if style == "dmy_slash":
        return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
    if style == "mdy_slash":
        return f"{d.month:02d}/{d.day:02d}/{d.year:04d}"
    if style == "mdy_long":
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year:04d}"
    if style == "dmy_long":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year:04d}"
    if style == "dmy_dot":
        return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"
    if style == "dmy_dash":
        return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"
    raise ValueError(f"unknown date style {style!r}; expected one of {DATE_STYLES}")


def date_style(country: str, layout: int) -> str:
    """The date style a layout uses for a country (issuers of one country differ in style)."""
    styles = _COUNTRY_DATE_STYLES.get(country)
    if styles is None and country in _DMY_LONG:
        styles = ("dmy_long", "dmy_slash", "iso")
    elif styles is None and country in _DMY_SLASH:
        styles = ("dmy_slash", "dmy_slash", "iso")
    elif styles is None:
        styles = ("iso", "dmy_slash", "dmy_long")
    return styles[layout % len(styles)]


def language(country: str) -> str:
    """The language issuers of a country write in: en, de, nl or fr."""
    return _LANGUAGES.get(country, "en")


def page_size(country: str) -> tuple[float, float]:
    """Letter in North America, A4 elsewhere, in points."""
    return (612.0, 792.0) if country in _LETTER_COUNTRIES else (595.0, 842.0)


def format_amount(minor: int, currency: str, country: str) -> str:
    """A minor-unit amount with the country's separators: 1,234.56 / 1.234,56 / 1 234,56."""
    decimals = 0 if currency.lower() in _ZERO_DECIMAL else 2
    sign = "-" if minor < 0 else ""
    units, cents = divmod(abs(minor), 10**decimals)
    grouped = f"{units:,}"
    frac = f"{cents:0{decimals}d}" if decimals else ""
    if country in _DECIMAL_POINT:
        return f"{sign}{grouped}.{frac}" if frac else sign + grouped
    thousands = " " if language(country) == "fr" else ("'" if country == "CH" else ".")
    grouped = grouped.replace(",", thousands)
    return f"{sign}{grouped},{frac}" if frac else sign + grouped


def address_lines(address: Address) -> list[str]:
    """Postal lines in the country's order (city/postcode placement differs by country)."""
    country = address.country.upper()
    line1 = address.line1
    if country in {"US", "CA", "AU"}:
        state = f" {address.state}" if address.state else ""
        sep = "" if country == "AU" else ","
        lines = [line1, f"{address.city}{sep}{state} {address.postal_code}"]
    elif country in {"GB", "IE"}:
        lines = [line1, address.city, address.postal_code]
    else:
        lines = [line1, f"{address.postal_code} {address.city}"]
    lines.append(COUNTRY_NAMES.get(country, country))
    return lines
