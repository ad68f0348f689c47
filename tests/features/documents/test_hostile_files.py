"""Broken, encrypted and hostile uploads come back as evidence with the right error, in time."""

from __future__ import annotations

import time

import pytest
from pdf_builders import FAST_LIMITS, draw_pdf, raw_pdf, row
from reportlab.lib.pdfencrypt import StandardEncryption

from features.documents import ParseLimits, parse_document, parse_documents

MARGIN_S = 4.0  # killing and reaping a worker on a busy shared machine


def timed(data: bytes, limits: ParseLimits = FAST_LIMITS) -> tuple[str | None, float]:
    started = time.monotonic()
    evidence = parse_document(data, limits=limits)
    return evidence.error, time.monotonic() - started


def test_a_password_protected_pdf_is_reported_encrypted() -> None:
    data = draw_pdf([row("Kontoauszug")], encrypt=StandardEncryption("user-secret", "owner"))
    assert parse_document(data, limits=FAST_LIMITS).error == "encrypted"


def test_a_pdf_encrypted_with_an_empty_user_password_is_still_read() -> None:
    data = draw_pdf(
        [row("Certificate of Incorporation", size=16)],
        encrypt=StandardEncryption("", "owner-only", canPrint=0),
    )
    evidence = parse_document(data, limits=FAST_LIMITS)
    assert evidence.error is None
    assert evidence.kind == "registration_certificate"


@pytest.mark.parametrize("data", [b"", b"   \n\t  ", b"\x00" * 64])
def test_empty_uploads_are_reported_empty(data: bytes) -> None:
    evidence = parse_document(data, limits=FAST_LIMITS)
    assert evidence.error == "empty"
    assert evidence.size_bytes == len(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 200,
        b"<!DOCTYPE html><html><body>statement</body></html>",
        b"PK\x03\x04" + b"\x00" * 100,
    ],
    ids=["png", "html", "zip"],
)
def test_files_that_are_not_pdfs_are_reported_not_pdf(data: bytes) -> None:
    assert parse_document(data, limits=FAST_LIMITS).error == "not_pdf"


@pytest.mark.parametrize("keep", [0.2, 0.5, 0.9])
def test_a_truncated_pdf_is_reported_corrupt(plain_pdf: bytes, keep: float) -> None:
    evidence = parse_document(plain_pdf[: int(len(plain_pdf) * keep)], limits=FAST_LIMITS)
    assert evidence.error == "corrupt"


def test_a_file_over_the_byte_limit_is_refused_before_parsing(plain_pdf: bytes) -> None:
    limits = ParseLimits(max_bytes=len(plain_pdf) - 1)
    assert parse_document(plain_pdf, limits=limits).error == "too_large"


def test_thousands_of_pages_are_reported_too_many_pages() -> None:
    data = raw_pdf(b"BT /F1 12 Tf 72 700 Td (page) Tj ET", page_count=3000)
    assert len(data) < FAST_LIMITS.max_bytes
    error, elapsed = timed(data)
    assert error == "too_many_pages"
    assert elapsed < FAST_LIMITS.timeout_s + MARGIN_S


def test_a_giant_page_crowded_with_objects_is_reported_too_large() -> None:
    runs = b"".join(
        b"BT /F1 2 Tf %d %d Td (x) Tj ET\n" % (i % 14000, i // 14) for i in range(30_000)
    )
    data = raw_pdf(runs, media_box=(14400, 14400))
    limits = ParseLimits(timeout_s=FAST_LIMITS.timeout_s, max_objects=20_000)
    error, elapsed = timed(data, limits)
    assert error == "too_large"
    assert elapsed < limits.timeout_s + MARGIN_S


def test_a_decompression_bomb_is_reported_too_large() -> None:
    data = raw_pdf(b"q Q " * 10_000_000)  # 40 MB of operators in a ~40 kB file
    limits = ParseLimits(timeout_s=FAST_LIMITS.timeout_s, max_bytes=1024 * 1024)
    assert len(data) < limits.max_bytes
    error, elapsed = timed(data, limits)
    assert error == "too_large"
    assert elapsed < limits.timeout_s + MARGIN_S


def test_a_page_that_takes_too_long_to_parse_times_out_and_the_pool_recovers(
    plain_pdf: bytes,
) -> None:
    # One stream of 16 MB of operators, listed 32 times in the page's /Contents.
    data = raw_pdf(b"q Q\n" * 4_000_000, contents_refs=32)
    limits = ParseLimits(timeout_s=1.0, max_bytes=FAST_LIMITS.max_bytes)
    parse_document(plain_pdf, limits=limits)  # a started worker, so only parsing is timed
    error, elapsed = timed(data, limits)
    assert error == "timeout"
    assert elapsed < limits.timeout_s + MARGIN_S
    assert parse_document(plain_pdf, limits=FAST_LIMITS).error is None


def test_a_page_tree_that_contains_itself_does_not_hang() -> None:
    data = raw_pdf(b"BT /F1 12 Tf 72 700 Td (loop) Tj ET").replace(
        b"/Kids [6 0 R]", b"/Kids [6 0 R 2 0 R]"
    )
    error, elapsed = timed(data)
    assert error in (None, "corrupt", "empty")
    assert elapsed < FAST_LIMITS.timeout_s + MARGIN_S


def test_deeply_nested_objects_do_not_crash_the_caller() -> None:
    depth = 50_000
    nested = b"[" * depth + b"]" * depth
    data = raw_pdf(b"BT /F1 12 Tf 72 700 Td (deep) Tj ET").replace(
        b"<< /Producer (hand) >>", b"<< /Producer (hand) /Deep " + nested + b" >>"
    )
    error, elapsed = timed(data)
    assert error in (None, "corrupt")
    assert elapsed < FAST_LIMITS.timeout_s + MARGIN_S


def test_the_memory_cap_fails_a_file_that_needs_more_and_spares_the_pool(plain_pdf: bytes) -> None:
    data = raw_pdf(b"q Q\n" * 4_000_000)  # PDFium holds the 16 MB content stream decoded
    roomy = ParseLimits(timeout_s=5.0)
    starved = ParseLimits(timeout_s=5.0, max_memory_bytes=4 * 1024 * 1024)
    assert parse_document(data, limits=roomy).error is None
    assert parse_document(data, limits=starved).error in ("too_large", "corrupt")
    assert parse_document(plain_pdf, limits=FAST_LIMITS).error is None


def test_parse_documents_keeps_order_across_workers_and_failures(plain_pdf: bytes) -> None:
    blobs = [plain_pdf, b"", b"<html>", plain_pdf[:100], plain_pdf] * 3
    results = parse_documents(blobs, limits=FAST_LIMITS, workers=2)
    assert [item.error for item in results] == [None, "empty", "not_pdf", "corrupt", None] * 3
    assert [item.size_bytes for item in results] == [len(blob) for blob in blobs]


def test_workers_are_reused_rather_than_started_per_file(plain_pdf: bytes) -> None:
    from features.documents.workers import shared_pool

    parse_document(plain_pdf, limits=FAST_LIMITS)
    before = {worker.process.pid for worker in shared_pool(1)._idle}
    for _ in range(5):
        parse_document(plain_pdf, limits=FAST_LIMITS)
    after = {worker.process.pid for worker in shared_pool(1)._idle}
    assert before and after <= before


def test_threads_can_share_the_pool(plain_pdf: bytes) -> None:
    from concurrent.futures import ThreadPoolExecutor

    blobs = [plain_pdf, b"", plain_pdf[:50]]
    with ThreadPoolExecutor(max_workers=3) as threads:
        runs = list(threads.map(lambda _: parse_documents(blobs, limits=FAST_LIMITS), range(6)))
    assert all([item.error for item in run] == [None, "empty", "corrupt"] for run in runs)


def test_files_queued_behind_a_hung_file_still_get_parsed(plain_pdf: bytes) -> None:
    slow = raw_pdf(b"q Q\n" * 4_000_000, contents_refs=32)
    limits = ParseLimits(timeout_s=1.0, max_bytes=FAST_LIMITS.max_bytes)
    parse_document(plain_pdf, limits=limits)
    started = time.monotonic()
    results = parse_documents(
        [slow, plain_pdf, plain_pdf, slow, plain_pdf], limits=limits, workers=1
    )
    assert [item.error for item in results] == ["timeout", None, None, "timeout", None]
    assert time.monotonic() - started < 2 * limits.timeout_s + 2 * MARGIN_S
