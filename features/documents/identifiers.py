"""Names and numbers as printed values: cleaning a label's value into a name or an identifier."""

from __future__ import annotations

import re

from features.documents import labels

_EIN = re.compile(r"(?<![\d-])\d{2}-\d{7}(?![\d-])")
_VAT = re.compile(
    r"\b(?:AT|BE|BG|CH|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|NO|PL|PT|RO|SE"
    r"|SI|SK|XI)\s?U?[0-9A-Z]{2}[\s.]?\d{3}[\s.]?\d{3}(?:[\s.]?[0-9A-Z]{1,5})?\b"
)
_IDENTIFIER = re.compile(r"(?<![\w])(?:[A-Z]{1,4}[\s-]?)?\d[\dA-Z]*(?:[\s./-]?[\dA-Z]+)*(?![\w])")
_HR = re.compile(r"\bHR\s?[AB]\s?\d{2,7}(?:\s?[A-Z]{1,2}\b)?")
_RCS = re.compile(r"\bR\.?C\.?S\.?\s+[A-Za-zÀ-ÿ' -]{2,30}?\s+(?:[AB]\s+)?(\d{3}\s?\d{3}\s?\d{3})\b")
_COMPANY_SUFFIX = re.compile(
    r"(?<![\w])(?:ltd|limited|llc|l\.l\.c|inc|incorporated|corp|corporation|gmbh(?:\s*&\s*co\.?"
    r"\s*kg)?|ug(?:\s*\(haftungsbeschr[äa]nkt\))?|ag|kg|ohg|e\.\s?k|sas|sasu|sarl|eurl|s\.?a|snc"
    r"|s\.?l|s\.?r\.?l|s\.?p\.?a|b\.?v|n\.?v|plc|llp|lp|pty(?:\s+ltd)?|oy|ab|a/?s|aps|se)\.?"
    r"\s*$",
    re.I,
)
_NOT_A_NAME = re.compile(r"^(?:n/?a|none|unknown|-+|\W*)$", re.I)
JOINERS = frozenset(
    {"&", "and", "und", "et", "e", "y", "de", "du", "des", "van", "der", "den", "von"}
)


def parse_name(text: str) -> str | None:
    """The name at the start of a label's value, cut before any further label; None if none."""
    value = text.split("\t")[0]
    if ":" in value or any(label.match(value.strip()) for label in labels.ANY_LABEL):
        return None
    for label in labels.ANY_LABEL:
        match = label.search(value)
        if match and match.start() > 0:
            value = value[: match.start()]
    value = _cut_prose(re.sub(r"\s+", " ", value)).strip(' ,;:-–|("“”„«»')
    letters = sum(ch.isalpha() for ch in value)
    digits = sum(ch.isdigit() for ch in value)
    if letters < 2 or digits > letters or len(value) > 120 or _NOT_A_NAME.match(value):
        return None
    if value.endswith(":") or not (value[0].isupper() or has_company_suffix(value)):
        return None
    return value


def _cut_prose(value: str) -> str:
    """Drop the sentence a name runs into: `Acme Ltd as the ratepayer for` -> `Acme Ltd`."""
    tokens = value.split(" ")
    for i in range(1, len(tokens)):
        if _lower_word(tokens[i]) and (i + 1 == len(tokens) or _lower_word(tokens[i + 1])):
            return " ".join(tokens[:i])
    return value


def _lower_word(token: str) -> bool:
    return bool(token) and token[0].islower() and token not in JOINERS


def parse_identifier(text: str) -> str | None:
    """The registration-style number a value starts with (`12345678`, `HRB 123456`); None if none.

    Only a number at the start counts: `REF RK/911356` beside a register's name is a file
    reference, not the company's number.
    """
    value = re.sub(r"^(?:no\.?|nr\.?|n[°º]\.?|#)\s*", "", text.split("\t")[0].strip(), flags=re.I)
    for match in _IDENTIFIER.finditer(value.upper()):
        if match.start() > 0:
            break
        token = match.group(0).strip(" ./-")
        if sum(ch.isdigit() for ch in token) >= 4 and not _looks_like_date(token):
            return re.sub(r"\s+", " ", token)
    return None


def parse_tax_id(text: str) -> str | None:
    """A tax number: EIN, EU VAT number, or another identifier after a tax label."""
    value = text.split("\t")[0]
    for pattern in (_EIN, _VAT):
        match = pattern.search(value.upper())
        if match:
            return re.sub(r"\s+", " ", match.group(0))
    return parse_identifier(value)


def find_tax_id_pattern(text: str) -> str | None:
    """An EIN or EU VAT number anywhere in `text`, for documents that print it unlabelled."""
    for pattern in (_EIN, _VAT):
        match = pattern.search(text)
        if match:
            return re.sub(r"\s+", " ", match.group(0))
    return None


def find_registration_pattern(text: str) -> str | None:
    """A German register number (HRB/HRA) or a French RCS number anywhere in `text`."""
    match = _HR.search(text)
    if match:
        return re.sub(r"\s+", " ", match.group(0))
    match = _RCS.search(text)
    if match:
        return match.group(1)
    return None


def has_company_suffix(text: str) -> bool:
    """Whether `text` ends in a legal-form suffix (Ltd, GmbH, SAS, LLC, B.V., ...)."""
    return bool(_COMPANY_SUFFIX.search(text.strip(" ,;")))


def normalise_identifier(text: str) -> str:
    """Upper-case letters and digits only, for comparing numbers however they are spaced."""
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def _looks_like_date(token: str) -> bool:
    return bool(re.fullmatch(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}", token))
