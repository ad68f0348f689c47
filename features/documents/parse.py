"""One file to evidence, inside the current process: screening, PDFium, traces, fields.

This is the body a worker runs; it never raises for a bad file, it reports why instead.
Callers outside the worker use `parse_document`, which adds the process boundary and timeout.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from features.documents.classify import classify
from features.documents.evidence import DocumentEvidence, ErrorReason, ParseLimits
from features.documents.fields import extract_fields
from features.documents.fonts import mixed_font_line
from features.documents.layout import PageLayout, TooComplex, read_page
from features.documents.metadata import document_history, read_xmp_fields
from features.documents.producers import classify_producer
from features.documents.raw_traces import read_raw_traces
from features.documents.text_view import DocumentText

_HEADER_WINDOW = 1024
_INFLATE_FACTOR = 16
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?!s)\b")


def blank_evidence(
    data: bytes, error: ErrorReason | None = None, pages: int = 0
) -> DocumentEvidence:
    """Evidence carrying only the file's identity (and an error, if any)."""
    return DocumentEvidence(
        sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data), pages=pages, error=error
    )


def screen(data: bytes, limits: ParseLimits) -> ErrorReason | None:
    """Reject what needs no parser to reject: empty, oversized and non-PDF bytes."""
    if not data.strip(b" \t\r\n\x00\x0c"):
        return "empty"
    if len(data) > limits.max_bytes:
        return "too_large"
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        return "not_pdf"
    return None


def parse_in_process(data: bytes, limits: ParseLimits) -> DocumentEvidence:
    """Parse one file in this process; bad files come back as evidence with `error` set."""
    reason = screen(data, limits)
    if reason is not None:
        return blank_evidence(data, reason)
    try:
        return _parse(data, limits)
    except MemoryError:
        return blank_evidence(data, "too_large")
    except TooComplex:
        return blank_evidence(data, "too_large")
    except Exception:  # a hostile file may break any step: report it, never raise
        return blank_evidence(data, "corrupt")


def _parse(data: bytes, limits: ParseLimits) -> DocumentEvidence:
    raw = read_raw_traces(data, decode_budget=_INFLATE_FACTOR * limits.max_bytes)
    if raw.decoded_overflow:
        return blank_evidence(data, "too_large")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = _load_error(exc, raw.encrypted)
        if reason == "corrupt" and not raw.truncated and not _PAGE_OBJECT.search(data):
            reason = "empty"  # a well-formed file without a single page
        return blank_evidence(data, reason)
    try:
        count = len(pdf)
        if count > limits.max_pages:
            return blank_evidence(data, "too_many_pages", count)
        if raw.truncated:
            return blank_evidence(data, "corrupt", count)
        info = {key: value for key, value in pdf.get_metadata_dict().items() if value}
        pages = _read_pages(pdf, count, limits.max_objects)
    finally:
        pdf.close()
    doc = DocumentText(pages)
    kind = classify(doc, pages)
    fields = extract_fields(doc, kind)
    history = document_history(info, {} if raw.encrypted else read_xmp_fields(raw.xmp))
    evidence = blank_evidence(data, None, count)
    return replace(
        evidence,
        kind=kind,
        **vars(fields),  # flat fields of immutable values: no deep copy (asdict) needed
        producer_class=classify_producer(history.producer, history.creator),
        created_at=history.created_at,
        modified_at=history.modified_at,
        incremental_updates=raw.incremental_updates,
        linearized=raw.linearized,
        info_xmp_mismatch=history.info_xmp_mismatch,
        trailer_id_mismatch=raw.trailer_id_mismatch,
        touchup_text_edit=raw.touchup_text_edit,
        mixed_font_lines=sum(mixed_font_line(line) for page in pages for line in page.lines),
        image_only_pages=sum(page.image_only for page in pages),
        scan_overlay_pages=sum(page.scan_overlay for page in pages),
        text_chars=sum(page.text_chars for page in pages),
    )


def _read_pages(pdf: pdfium.PdfDocument, count: int, max_objects: int) -> list[PageLayout]:
    pages: list[PageLayout] = []
    budget = max_objects
    for index in range(count):
        layout, walked = read_page(pdf.raw, index, budget)
        budget -= walked
        pages.append(layout)
    return pages


def _load_error(exc: pdfium.PdfiumError, encrypted: bool) -> ErrorReason:
    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD or (encrypted and code == pdfium_c.FPDF_ERR_SECURITY):
        return "encrypted"
    return "corrupt"
