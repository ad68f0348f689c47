"""Which country a document points to: country names, IBAN and VAT prefixes, postcode shapes."""

from __future__ import annotations

import re
from collections import Counter

_COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "GB": ("united kingdom", "great britain", "england", "scotland", "wales", "northern ireland",
           "u.k."),
    "US": ("united states", "united states of america", "u.s.a.", "usa"),
    "DE": ("germany", "deutschland", "allemagne", "bundesrepublik deutschland"),
    "FR": ("france", "république française", "republique francaise"),
    "ES": ("spain", "españa", "espana", "espagne"),
    "IT": ("italy", "italia", "italie"),
    "NL": ("netherlands", "nederland", "the netherlands", "pays-bas"),
    "BE": ("belgium", "belgique", "belgië", "belgie"),
    "AT": ("austria", "österreich", "oesterreich", "autriche"),
    "CH": ("switzerland", "schweiz", "suisse", "svizzera"),
    "IE": ("ireland", "éire", "eire"),
    "PT": ("portugal",),
    "PL": ("poland", "polska", "pologne"),
    "SE": ("sweden", "sverige", "suède"),
    "DK": ("denmark", "danmark"),
    "NO": ("norway", "norge"),
    "FI": ("finland", "suomi"),
    "LU": ("luxembourg", "luxemburg"),
    "CA": ("canada",),
    "AU": ("australia",),
    "NZ": ("new zealand",),
    "JP": ("japan", "日本"),
    "SG": ("singapore",),
    "MX": ("mexico", "méxico"),
    "BR": ("brazil", "brasil"),
    "IN": ("india",),
    "CZ": ("czech republic", "czechia", "česká republika"),
    "GR": ("greece", "ελλάδα"),
    "RO": ("romania", "românia"),
    "HU": ("hungary", "magyarország"),
}  # fmt: skip
_NAME_TO_CODE = {name: code for code, names in _COUNTRY_NAMES.items() for name in names}
_NAMES = re.compile(
    r"(?<![\w.])("
    + "|".join(sorted((re.escape(n) for n in _NAME_TO_CODE), key=len, reverse=True))
    + r")(?![\w])",
    re.I,
)
_IBAN = re.compile(r"\b([A-Z]{2})\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b")
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b")
_US_STATE_ZIP = re.compile(
    r"\b(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI"
    r"|S[CD]|T[NX]|UT|V[AT]|W[AIVY])\s+\d{5}(?:-\d{4})?\b"
)
_AU_STATE_POSTCODE = re.compile(r"\b(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+\d{4}\b")
_EIRCODE = re.compile(r"\b[AC-FHKNPRTV-Y]\d{2}\s?[AC-FHKNPRTV-Y0-9]{4}\b")
_CA_POSTCODE = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[A-Z]\s?\d[A-Z]\d\b")
_IBAN_COUNTRIES = frozenset(
    "AT BE BG CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE "
    "SI SK".split()
)


def infer_country(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 country the text points to most often, or None without a cue.

    Counts explicit country names, IBAN prefixes and postcode shapes that belong to a single
    country (UK, US state + ZIP, Canada); bare numbers are too ambiguous to count.
    """
    votes: Counter[str] = Counter()
    for name in _NAMES.findall(text):
        if name.isupper() or name[0].isupper() or len(name) > 4:
            votes[_NAME_TO_CODE[name.lower()]] += 2
    for prefix in _IBAN.findall(text):
        if prefix in _IBAN_COUNTRIES:
            votes[prefix] += 2
    votes["GB"] += len(_UK_POSTCODE.findall(text))
    votes["US"] += len(_US_STATE_ZIP.findall(text))
    votes["CA"] += len(_CA_POSTCODE.findall(text))
    votes["AU"] += len(_AU_STATE_POSTCODE.findall(text))
    votes["IE"] += len(_EIRCODE.findall(text))
    votes = +votes
    if not votes:
        return None
    return votes.most_common(1)[0][0]


def is_country_name(text: str) -> bool:
    """Whether `text` is nothing but a country's name (a typical last address line)."""
    return text.strip(" ,.").lower() in _NAME_TO_CODE


def has_iban(text: str) -> bool:
    """Whether the text carries something shaped like an IBAN of a known IBAN country."""
    return any(prefix in _IBAN_COUNTRIES for prefix in _IBAN.findall(text))
