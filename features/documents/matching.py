"""How well a document's printed identity agrees with the Stripe Account it was uploaded for."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from rapidfuzz import fuzz

_LEGAL_FORMS = re.compile(
    r"\b(?:ltd|limited|llc|l l c|inc|incorporated|corp|corporation|co|company|gmbh|ug"
    r"|haftungsbeschrankt|ag|kg|ohg|e k|sas|sasu|sarl|eurl|sa|snc|sl|srl|spa|bv|nv|plc|llp|lp"
    r"|pty|oy|ab|as|aps|se|the|s a s|s r l|s p a|s a|s l|b v|n v|a s)\b"
)
_ABBREVIATIONS = {
    "st": "street",
    "rd": "road",
    "ave": "avenue",
    "str": "strasse",
    "strasse": "strasse",
    "blvd": "boulevard",
    "ln": "lane",
    "dr": "drive",
    "pl": "place",
    "sq": "square",
}


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation as spaces: the form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^\w]+|_", " ", plain).strip()


def name_similarity(printed: str, known: Iterable[str]) -> float | None:
    """Best token-set similarity (0-1) of a printed name to any known name, legal forms ignored."""
    left = _bare_name(printed)
    scores = [fuzz.token_set_ratio(left, _bare_name(name)) / 100.0 for name in known if name]
    if not left or not scores:
        return None
    return max(scores)


def address_similarity(printed: str, known: Iterable[str]) -> float | None:
    """Best token-set similarity (0-1) of a printed address to any known address."""
    left = _expand(fold(printed))
    scores = [fuzz.token_set_ratio(left, _expand(fold(text))) / 100.0 for text in known if text]
    if not left or not scores:
        return None
    return max(scores)


def numbers_match(printed: str, known: str) -> bool:
    """Whether two registration or tax numbers are the same however they are spaced or prefixed."""
    left, right = _alnum(printed), _alnum(known)
    if not left or not right:
        return False
    if left == right:
        return True
    shorter, longer = sorted((left, right), key=len)
    if len(shorter) >= 6 and longer.endswith(shorter):
        return True
    digits_left, digits_right = re.sub(r"\D", "", left), re.sub(r"\D", "", right)
    return len(digits_left) >= 5 and digits_left == digits_right


def postcode_in(printed: str, postcodes: Iterable[str]) -> bool | None:
    """Whether one of the account's postcodes appears in a printed address; None if none known."""
    codes = [_alnum(code) for code in postcodes if code and _alnum(code)]
    if not codes:
        return None
    squashed = _alnum(printed)
    return any(code in squashed for code in codes)


def account_names(account: Mapping[str, Any]) -> list[str]:
    """Every name the account goes by: business profile, company, individual, dashboard."""
    names = [
        _section(account, "business_profile").get("name"),
        _section(account, "company").get("name"),
        *individual_names(account),
        _section(_section(account, "settings"), "dashboard").get("display_name"),
    ]
    return [str(name) for name in names if name]


def individual_names(account: Mapping[str, Any]) -> list[str]:
    """The individual's full name, for accounts onboarded as a person."""
    individual = _section(account, "individual")
    person = " ".join(str(individual.get(key) or "") for key in ("first_name", "last_name"))
    return [person.strip()] if person.strip() else []


def account_addresses(account: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The company, individual and support addresses the account holds."""
    found = [
        _section(account, "company").get("address"),
        _section(account, "individual").get("address"),
        _section(account, "business_profile").get("support_address"),
    ]
    return [address for address in found if isinstance(address, Mapping)]


def address_text(address: Mapping[str, Any]) -> str:
    """One line of an address object's parts, as a document would print them."""
    keys = ("line1", "line2", "postal_code", "city", "state")
    return " ".join(str(address.get(key) or "") for key in keys).strip()


def account_numbers(account: Mapping[str, Any], kind: str) -> list[str]:
    """Registration (`kind="registration"`) or tax numbers the account export carries.

    Stripe does not return these on the Account object; platforms that keep them put them on
    `company` in their export or in account metadata, which is what is read here.
    """
    company = _section(account, "company")
    metadata = _section(account, "metadata")
    keys = (
        ("registration_number", "company_number")
        if kind == "registration"
        else ("tax_id", "vat_id", "ein", "tax_number")
    )
    values = [company.get(key) for key in keys] + [metadata.get(key) for key in keys]
    return [str(value) for value in values if isinstance(value, str | int) and str(value).strip()]


def registration_date(account: Mapping[str, Any]) -> int | None:
    """`company.registration_date` as UTC-midnight Unix seconds, when the account has it."""
    date = _section(account, "company").get("registration_date")
    if not isinstance(date, Mapping):
        return None
    try:
        moment = datetime(int(date["year"]), int(date["month"]), int(date["day"]), tzinfo=UTC)
    except (KeyError, TypeError, ValueError):
        return None
    return int(moment.timestamp())


def _section(mapping: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = mapping.get(key)
    return value if isinstance(value, Mapping) else {}


def _bare_name(name: str) -> str:
    return re.sub(r"\s+", " ", _LEGAL_FORMS.sub(" ", fold(name))).strip()


def _expand(text: str) -> str:
    return " ".join(_ABBREVIATIONS.get(token, token) for token in text.split())


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", str(text).upper())
