"""The PDF's own account of its history: Info dictionary and XMP dates and tools, compared."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

_PDF_DATE = re.compile(
    r"(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(?:([Zz+\-])\s*(\d{2})?'?(\d{2})?'?)?"
)
_XMP_DATE = re.compile(
    r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*"
    r"(Z|[+\-]\d{2}:?\d{2})?"
)
_XMP_FIELDS = ("CreateDate", "ModifyDate", "Producer", "CreatorTool")
# Each property as an element (<xmp:CreateDate>...</) and as an attribute (xmp:CreateDate="...").
_XMP_PATTERNS = tuple(
    (
        name,
        re.compile(rf"<(?:[\w.-]+:)?{name}\s*>\s*([^<]*?)\s*</"),
        re.compile(rf"\b(?:[\w.-]+:)?{name}\s*=\s*[\"']([^\"']*)[\"']"),
    )
    for name in _XMP_FIELDS
)
_DATE_TOLERANCE_S = 120


@dataclass(frozen=True)
class DatedValue:
    """A timestamp in Unix seconds and whether the source stated its time zone."""

    seconds: int
    zoned: bool


@dataclass(frozen=True)
class DocumentHistory:
    """Producer, creator and dates from Info (falling back to XMP), plus their agreement."""

    producer: str
    creator: str
    created_at: int | None
    modified_at: int | None
    info_xmp_mismatch: bool | None


def parse_pdf_date(text: str) -> DatedValue | None:
    """Parse a PDF date string (`D:YYYYMMDDHHmmSSOHH'mm'`); None when it is not one."""
    match = _PDF_DATE.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, sign, tz_h, tz_m = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=_offset(sign, tz_h, tz_m),
        )
    except ValueError:
        return None
    return DatedValue(int(moment.timestamp()), sign is not None)


def parse_xmp_date(text: str) -> DatedValue | None:
    """Parse an XMP (ISO 8601) date; None when it is not one."""
    match = _XMP_DATE.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    tz = UTC
    if zone and zone not in ("Z", "z"):
        digits = zone[1:].replace(":", "")
        tz = _offset(zone[0], digits[:2], digits[2:])
    try:
        moment = datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=tz,
        )
    except ValueError:
        return None
    return DatedValue(int(moment.timestamp()), zone is not None)


def read_xmp_fields(packet: bytes | None) -> dict[str, str]:
    """The XMP properties compared with Info, whatever namespace prefix or form they use."""
    if not packet:
        return {}
    text = packet.decode("utf-8", errors="replace")
    fields: dict[str, str] = {}
    for name, element_form, attribute_form in _XMP_PATTERNS:
        if name not in text:  # both forms spell the name out; most packets lack some fields
            continue
        found = element_form.search(text) or attribute_form.search(text)
        if found and found.group(1).strip():
            fields[name] = _unescape_xml(found.group(1).strip())
    return fields


def document_history(info: Mapping[str, str], xmp: Mapping[str, str]) -> DocumentHistory:
    """Combine Info and XMP into one history and say whether the two disagree."""
    created = parse_pdf_date(info.get("CreationDate", ""))
    modified = parse_pdf_date(info.get("ModDate", ""))
    xmp_created = parse_xmp_date(xmp.get("CreateDate", ""))
    xmp_modified = parse_xmp_date(xmp.get("ModifyDate", ""))
    checks = [
        _dates_differ(created, xmp_created),
        _dates_differ(modified, xmp_modified),
        _texts_differ(info.get("Producer", ""), xmp.get("Producer", "")),
        _texts_differ(info.get("Creator", ""), xmp.get("CreatorTool", "")),
    ]
    observed = [check for check in checks if check is not None]
    created_at = created or xmp_created
    modified_at = modified or xmp_modified
    return DocumentHistory(
        producer=info.get("Producer", "") or xmp.get("Producer", ""),
        creator=info.get("Creator", "") or xmp.get("CreatorTool", ""),
        created_at=created_at.seconds if created_at else None,
        modified_at=modified_at.seconds if modified_at else None,
        info_xmp_mismatch=any(observed) if observed else None,
    )


def _offset(sign: str | None, hours: str | None, minutes: str | None) -> timezone:
    if sign in (None, "Z", "z"):
        return UTC
    delta = timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
    return timezone(-delta if sign == "-" else delta)


def _dates_differ(info: DatedValue | None, xmp: DatedValue | None) -> bool | None:
    if info is None or xmp is None:
        return None
    gap = abs(info.seconds - xmp.seconds)
    if info.zoned and xmp.zoned:
        return gap > _DATE_TOLERANCE_S
    # A writer that omits the zone on one side shifts by whole quarter hours, at most 14 h.
    residue = gap % 900
    near_quarter = min(residue, 900 - residue) <= _DATE_TOLERANCE_S
    return not (gap <= 14 * 3600 and near_quarter)


def _texts_differ(info: str, xmp: str) -> bool | None:
    left, right = _squash(info), _squash(xmp)
    if not left or not right:
        return None
    return left != right


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _unescape_xml(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )
