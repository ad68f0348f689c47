"""Parser processes start lean and keep many files queued without losing any of them."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pdf_builders import FAST_LIMITS, raw_pdf

from features.documents import ParseLimits, parse_documents
from features.documents.parse import blank_evidence
from features.documents.wire import decode_evidence
from features.documents.worker_process import WorkerProcess
from features.documents.workers import ParsersBusy, WorkerPool


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/<pid>/maps")
def test_a_parser_process_parses_without_loading_the_feature_modules(plain_pdf: bytes) -> None:
    worker = WorkerProcess()
    try:
        assert worker.wait_ready()
        maps = Path(f"/proc/{worker.process.pid}/maps").read_text()
        assert "pypdfium2" in maps  # it did load what parsing needs
        assert "/pandas/" not in maps and "/numpy/" not in maps
        assert worker.submit(plain_pdf, FAST_LIMITS)
        reply = worker.receive()
        assert reply is not None
        identity = blank_evidence(plain_pdf)
        evidence = decode_evidence(reply, identity.sha256, identity.size_bytes)
        assert evidence.error is None and evidence.text_chars > 0
    finally:
        worker.stop()


def test_a_long_queue_behind_a_hung_file_is_parsed_in_order(plain_pdf: bytes) -> None:
    slow = raw_pdf(b"q Q\n" * 4_000_000, contents_refs=32)
    limits = ParseLimits(timeout_s=1.0, max_bytes=FAST_LIMITS.max_bytes)
    others = [plain_pdf + b"%" * n for n in range(12)]  # distinct files, same content
    results = parse_documents([slow, *others, slow, plain_pdf], limits=limits, workers=1)
    assert [item.error for item in results] == ["timeout", *[None] * 12, "timeout", None]
    assert [item.size_bytes for item in results[1:13]] == [len(data) for data in others]


def test_a_caller_that_cannot_wait_is_told_every_parser_is_busy(plain_pdf: bytes) -> None:
    pool = WorkerPool(1)
    hung = raw_pdf(b"q Q\n" * 4_000_000, contents_refs=32)
    limits = ParseLimits(timeout_s=4.0, max_bytes=FAST_LIMITS.max_bytes)
    try:
        with ThreadPoolExecutor(max_workers=1) as threads:
            busy = threads.submit(pool.map, [hung], limits, 1)
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:  # until the hung file holds the only parser
                try:
                    pool.map([plain_pdf], limits, 1, wait_s=0)
                except ParsersBusy:
                    break
            started = time.monotonic()
            with pytest.raises(ParsersBusy):
                pool.map([plain_pdf], limits, 1, wait_s=0.3)
            waited = time.monotonic() - started
            assert [item.error for item in busy.result()] == ["timeout"]
        assert 0.3 <= waited < 2.0
        # The parser freed up: the same call now parses.
        [parsed] = pool.map([plain_pdf], limits, 1, wait_s=1.0)
        assert parsed.error is None and parsed.text_chars > 0
    finally:
        pool.close()
