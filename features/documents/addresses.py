"""Postal addresses on a page: after an address label, or as a block ending in a postcode line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from features.documents import labels
from features.documents.layout import Cell
from features.documents.places import is_country_name
from features.documents.text_view import DocumentText

_POSTAL_LINE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b"  # UK
    r"|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"  # US state + ZIP
    r"|\b[ABCEGHJ-NPRSTVXY]\d[A-Z]\s?\d[A-Z]\d\b"  # Canada
    r"|\b(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+\d{4}\b"  # Australia
    r"|\b[AC-FHKNPRTV-Y]\d{2}\s?[AC-FHKNPRTV-Y0-9]{4}\b"  # Ireland (Eircode)
    r"|(?:\b[A-Z]{1,2}-)?(?<![\d/.,:-])\b\d{4,5}\s+[A-ZÀ-Ý][\w'’.\-]+"  # Europe: 10115 Berlin
    r"|\b\d{4}\s?[A-Z]{2}\s+[A-Z][\w\-]+"  # Netherlands: 1012 AB Amsterdam
)
_STREET = re.compile(
    r"^\s*\d+\s?[a-zA-Z]?\b[\s,]+[^\W\d]"  # 10 High Street
    r"|[^\W\d]{3,}\.?\s+\d+\s?[a-zA-Z]?(?:[,\s]|$)"  # Hauptstr. 5
    r"|\b(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|boulevard|blvd|place|pl|court"
    r"|square|suite|floor|unit|building|house|straße|strasse|str|weg|platz|allee|gasse|ring"
    r"|rue|avenue|chemin|place|quai|calle|avenida|via|piazza|corso|straat|laan|plein|po box"
    r"|p\.o\. box)\b",
    re.I,
)
_ISSUER = re.compile(
    r"\bbank\b|\bbanque\b|sparkasse|\bbanca\b|\bbanco\b|revenue|treasury|registrar|registry"
    r"|companies\s+house|chamber|kammer|greffe|tribunal|amtsgericht|finanzamt|ministry"
    r"|department|authority|agency|\bgov\b|www\.|https?:|@|tel\b|phone|fax",
    re.I,
)
_NAME_LIKE = re.compile(r"^[^\d:@\t]{3,60}$")
_POSTCODE_ONLY = re.compile(r"^\s*[A-Z0-9]{2,5}[ -]?[A-Z0-9]{0,4}\s*$")
_CITY = re.compile(r"^[A-ZÀ-Ý][^\d:@\t]{1,40}$")
_MONEY_OR_DATE = re.compile(r"\d[.,]\d{2}(?!\d)|\d{1,4}[./-]\d{1,2}[./-]\d{2,4}")


@dataclass(frozen=True)
class AddressBlock:
    """An address as printed (lines joined by commas) and the name line above it, if any."""

    text: str
    name: str | None


def labelled_address(doc: DocumentText) -> str | None:
    """The address printed beside or under an address label, continuation lines included."""
    for hit in doc.label_hits(labels.ADDRESS):
        placed = doc.lines[hit.index]
        beside = hit.rest
        under = hit.cell
        cells = placed.line.cells
        position = cells.index(hit.cell)
        if not beside and position + 1 < len(cells):
            under = cells[position + 1]
            beside = under.text
        below = [c.text for c in doc.column_below(hit.index, under, 4)]
        parts = [beside] if beside else []
        for text in below:
            if any(label.search(text) for label in labels.ANY_LABEL):
                break
            parts.append(text)
        address = ", ".join(part.strip(" ,") for part in parts if part.strip(" ,"))
        if address and (_POSTAL_LINE.search(address) or _STREET.search(address)):
            return address
    return None


def address_blocks(doc: DocumentText) -> list[AddressBlock]:
    """Unlabelled address blocks, most plausible first (a name above, not in the footer)."""
    scored: list[tuple[float, int, AddressBlock]] = []
    for index, placed in enumerate(doc.lines):
        postal = next((c for c in placed.line.cells if _POSTAL_LINE.search(c.text)), None)
        if postal is None or _MONEY_OR_DATE.search(postal.text):
            continue
        block = [postal]
        first = index
        while len(block) < 4 and first > 0:
            cell = _cell_above(doc, first, block[0])
            if cell is None or _ISSUER.search(cell.text):
                break
            city_line = len(block) == 1 and _POSTCODE_ONLY.match(postal.text)
            if not (_street_like(cell.text) or (city_line and _CITY.match(cell.text))):
                break
            block.insert(0, cell)
            first -= 1
        country = _cell_below(doc, index, postal)
        if country is not None and is_country_name(country.text):
            block.append(country)
        name_cell = _cell_above(doc, first, block[0])
        name = _as_name(name_cell.text) if name_cell is not None else None
        score = (2.0 if name else 0.0) - (2.0 if placed.depth > 0.88 else 0.0)
        score -= 1.0 if any(_ISSUER.search(cell.text) for cell in block) else 0.0
        text = ", ".join(cell.text.strip(" ,") for cell in block)
        scored.append((score, index, AddressBlock(text, name)))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [block for _, _, block in scored]


def _cell_above(doc: DocumentText, index: int, anchor: Cell) -> Cell | None:
    """The cell over `anchor` on the previous line, if that line is close and on the same page."""
    if index == 0:
        return None
    above, here = doc.lines[index - 1], doc.lines[index]
    if above.page != here.page or above.line.y - here.line.y > 2.0 * above.line.size:
        return None
    return next((cell for cell in above.line.cells if _aligned(cell, anchor)), None)


def _cell_below(doc: DocumentText, index: int, anchor: Cell) -> Cell | None:
    """The cell under `anchor` on the next line, if that line is close and on the same page."""
    if index + 1 >= len(doc.lines):
        return None
    here, below = doc.lines[index], doc.lines[index + 1]
    if below.page != here.page or here.line.y - below.line.y > 2.0 * here.line.size:
        return None
    return next((cell for cell in below.line.cells if _aligned(cell, anchor)), None)


def _aligned(cell: Cell, anchor: Cell) -> bool:
    return cell.x0 <= anchor.x1 and cell.x1 >= anchor.x0 and abs(cell.x0 - anchor.x0) < 40


def _as_name(text: str) -> str | None:
    text = text.strip()
    if not _NAME_LIKE.match(text) or _ISSUER.search(text):
        return None
    if any(label.search(text) for label in labels.ANY_LABEL) or is_country_name(text):
        return None
    return text


def _street_like(text: str) -> bool:
    return bool(_STREET.search(text)) and not _MONEY_OR_DATE.search(text)
