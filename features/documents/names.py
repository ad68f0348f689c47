"""Who a document is about when no label says so: certifying phrases, legal-form lines, MRZ."""

from __future__ import annotations

import re

from features.documents import labels
from features.documents.identifiers import JOINERS, has_company_suffix, parse_name
from features.documents.text_view import DocumentText

_CERTIFIES = re.compile(
    r"(?:certif(?:y|ies)|confirms?|attests?|bescheinigt|best[äa]tigt|atteste|certifie|certifica)"
    r"\s+(?:that|dass|que|che)\s+(?:the\s+(?:company|business|entity)\s+)?"
    r"(?:[\"“„«]\s*(?P<quoted>[^\"”“»\n]{2,100}?)\s*[\"”“»]|(?P<name>[^\n]{2,100}?))"
    r"\s*(?:,|\(|\bis\b|\bwas\b|\bhas\b|\bhad\b|\best\b|\bist\b|\bwurde\b|\ba\s+[ée]t[ée]\b"
    r"|\bè\b|\bwith\b|\bunder\b|\bmit\b|\bsous\b|$)",
    re.I | re.M,
)
_ISSUER = re.compile(
    r"\bbank\b|\bbanque\b|sparkasse|\bbanca\b|\bbanco\b|revenue|treasury|registrar|registry"
    r"|companies\s+house|chamber|kammer|greffe|amtsgericht|finanzamt|ministry|department"
    r"|authority|agency|\bgov\b|energy|power|electric|utilities|water|telecom|council",
    re.I,
)
_MRZ_LINE = re.compile(r"^(?=[A-Z0-9]*<)[A-Z0-9<]{28,44}$")


def certified_name(doc: DocumentText) -> str | None:
    """The entity a certificate or letter says it is about ("certifies that X is ...")."""
    flowing = re.sub(r"[ \t]+", " ", doc.text)
    for match in _CERTIFIES.finditer(flowing.replace("\n", " \n")):
        quoted = match.group("quoted")
        name = parse_name(quoted or match.group("name"))
        if name is None and not quoted:
            line_after = flowing[match.start("name") :].split("\n", 2)
            name = parse_name(line_after[1]) if len(line_after) > 1 else None
        if name is not None:
            return name
    return None


def legal_form_name(doc: DocumentText) -> str | None:
    """The first prominent line ending in a legal form (Ltd, GmbH, SAS...) not naming an issuer."""
    candidates: list[tuple[float, int, str]] = []
    for index, placed in enumerate(doc.lines):
        for cell in placed.line.cells:
            text = cell.text.strip()
            text = text.rsplit(":", 1)[-1].strip()
            if not has_company_suffix(text) or _ISSUER.search(text):
                continue
            for label in labels.ANY_LABEL:
                match = label.search(text)
                if match:
                    text = text[match.end() :].strip(" :-")
            name = parse_name(_trailing_name(text))
            if name is not None:
                candidates.append((-placed.line.size, index, name))
    if not candidates:
        return None
    return min(candidates)[2]


def _trailing_name(text: str) -> str:
    """The capitalised words that end a line in a legal form: `... und Acme GmbH` -> `Acme GmbH`."""
    tokens = text.split()
    kept: list[str] = []
    for token in reversed(tokens):
        if len(kept) >= 8 or not (token[0].isupper() or token[0].isdigit() or token in JOINERS):
            break
        kept.append(token)
    while kept and kept[-1] in JOINERS:
        kept.pop()
    return " ".join(reversed(kept))


def mrz_name(doc: DocumentText) -> str | None:
    """The holder's name from a passport or ID card machine-readable zone, if one is printed."""
    for placed in doc.lines:
        raw = placed.text.replace(" ", "").replace("\t", "").upper()
        if not _MRZ_LINE.match(raw) or "<<" not in raw:
            continue
        if raw[0] in "PIAC" and raw[2:5].isalpha() and len(raw) >= 36:
            names = raw[5:]
        elif not any(ch.isdigit() for ch in raw):
            names = raw
        else:
            continue
        surname, _, given = names.strip("<").partition("<<")
        parts = [given.replace("<", " ").strip(), surname.replace("<", " ").strip()]
        name = " ".join(part for part in parts if part)
        if len(name) >= 3:
            return name.title()
    return None


def labelled_person_name(doc: DocumentText) -> str | None:
    """Given names plus surname as an identity document labels them."""
    surname = doc.find(labels.SURNAME, parse_name)
    given = doc.find(labels.GIVEN_NAMES, parse_name)
    if surname and given and given not in surname:
        return f"{given} {surname}"
    return surname or given
