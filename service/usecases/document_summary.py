"""What a stored document shows, as names only: fields found and forensic flags raised."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from service.db.models import Document

IDENTITY_FIELDS = (
    "legal_name",
    "registration_number",
    "tax_id",
    "issued_on",
    "incorporated_on",
    "address",
    "country",
    "holder",
    "currency",
    "opening_balance",
    "closing_balance",
    "total_credits",
    "total_debits",
)
# Evidence fields that are a warning sign when true or above zero.
FORENSIC_FLAGS = (
    "incremental_updates",
    "info_xmp_mismatch",
    "trailer_id_mismatch",
    "touchup_text_edit",
    "mixed_font_lines",
    "image_only_pages",
    "scan_overlay_pages",
)


@dataclass(frozen=True)
class DocumentSummary:
    """A stored document without any value printed on it."""

    id: str
    account_id: str
    content_type: str
    size_bytes: int
    sha256: str
    kind: str | None
    pages: int
    fields_found: tuple[str, ...]
    forensic_flags: tuple[str, ...]
    error: str | None
    received_at: dt.datetime


def fields_found(evidence: Mapping[str, Any]) -> tuple[str, ...]:
    """The identity fields the document printed (present, whatever their value)."""
    return tuple(name for name in IDENTITY_FIELDS if evidence.get(name) is not None)


def forensic_flags(evidence: Mapping[str, Any]) -> tuple[str, ...]:
    """The forensic traces the document carries (true, or a count above zero)."""
    return tuple(name for name in FORENSIC_FLAGS if _raised(evidence.get(name)))


def _raised(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return isinstance(value, int | float) and value > 0


def summarise_document(document: Document) -> DocumentSummary:
    """The summary of a stored document, read from its evidence."""
    evidence = document.evidence or {}
    return DocumentSummary(
        id=document.id,
        account_id=document.account_id,
        content_type=document.content_type,
        size_bytes=document.size_bytes,
        sha256=document.sha256,
        kind=document.kind,
        pages=int(evidence.get("pages") or 0),
        fields_found=fields_found(evidence),
        forensic_flags=forensic_flags(evidence),
        error=document.error,
        received_at=document.received_at,
    )
