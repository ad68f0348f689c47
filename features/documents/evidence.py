"""The typed record one onboarding file turns into, and the limits a parse runs under."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DocumentKind = Literal[
    "registration_certificate",
    "tax_id_letter",
    "bank_statement",
    "proof_of_address",
    "identity_scan",
    "unknown",
]
ErrorReason = Literal[
    "encrypted", "not_pdf", "corrupt", "too_large", "too_many_pages", "timeout", "empty"
]
ProducerClass = Literal["office", "scanner", "editor", "generator", "unknown"]

DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    "registration_certificate",
    "tax_id_letter",
    "bank_statement",
    "proof_of_address",
    "identity_scan",
    "unknown",
)
ERROR_REASONS: tuple[ErrorReason, ...] = (
    "encrypted",
    "not_pdf",
    "corrupt",
    "too_large",
    "too_many_pages",
    "timeout",
    "empty",
)
# Errors that depend on the run, not only on the file (a parse out of time on a busy machine):
# worth parsing again when the same bytes come back, never remembered by content.
TRANSIENT_ERRORS: frozenset[ErrorReason] = frozenset({"timeout"})
PRODUCER_CLASSES: tuple[ProducerClass, ...] = (
    "office",
    "scanner",
    "editor",
    "generator",
    "unknown",
)


@dataclass(frozen=True)
class ParseLimits:
    """Bounds one parse must stay within; a file beyond any of them gets a document-level error.

    `max_memory_bytes` caps the worker's address space on top of what it uses when idle, and
    `max_objects` the page objects (text runs, images, paths) a parse will walk, so a page
    stuffed with millions of drawing operators fails fast as `too_large`.
    """

    max_bytes: int = 10 * 1024 * 1024
    max_pages: int = 20
    timeout_s: float = 10.0
    max_memory_bytes: int = 1024 * 1024 * 1024
    max_objects: int = 200_000


@dataclass(frozen=True)
class DocumentEvidence:
    """What one uploaded file shows, without its text: identity fields and forensic traces.

    Every field past `error` is None (or zero) when the file could not be read. Dates are Unix
    seconds (UTC midnight for printed dates); amounts are in major units of `currency`.
    """

    sha256: str
    size_bytes: int
    pages: int = 0
    error: ErrorReason | None = None
    kind: DocumentKind = "unknown"
    # Fields printed on the document.
    legal_name: str | None = None
    registration_number: str | None = None
    tax_id: str | None = None
    issued_on: int | None = None
    incorporated_on: int | None = None
    address: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 the document's address or IBAN points to
    holder: str | None = None
    currency: str | None = None  # lower-case ISO 4217
    opening_balance: float | None = None
    closing_balance: float | None = None
    total_credits: float | None = None
    total_debits: float | None = None
    # Forensic traces of how the file was made and changed.
    producer_class: ProducerClass = "unknown"
    created_at: int | None = None
    modified_at: int | None = None
    incremental_updates: int = 0
    linearized: bool = False
    info_xmp_mismatch: bool | None = None  # None when there is no XMP packet to compare
    trailer_id_mismatch: bool | None = None  # None when the trailer carries no /ID
    touchup_text_edit: bool = False
    mixed_font_lines: int = 0
    image_only_pages: int = 0
    scan_overlay_pages: int = 0  # scanned pages with a few words of live text typed on top
    text_chars: int = 0
