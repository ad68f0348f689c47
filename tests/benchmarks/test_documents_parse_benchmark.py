"""Document parsing speed: pages per second next to plain pdfminer text extraction of the same
files, the forensic byte pass on its own, and parsing across every core next to one worker."""

from __future__ import annotations

import io
import os
import random
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

import pytest
from pdfminer.high_level import extract_text

from features.documents import ParseLimits, parse_documents
from features.documents.api import DEFAULT_LIMITS
from features.documents.metadata import read_xmp_fields
from features.documents.parse import parse_in_process
from features.documents.raw_traces import read_raw_traces
from features.documents.workers import default_workers, shared_pool
from training.synth.documents import render_document, sample_spec
from training.synth.plan import DocumentKind, ProducerClass, Tamper

DOCUMENTS = 120
REPEATS = 5
CPU_ROUNDS = 10  # the corpus this many times over, so worker start-up weighs as in a dataset


def _corpus(count: int) -> list[bytes]:
    """A dataset-like mix of kinds, producers and tampering (scans included), seeded."""
    rng = random.Random(7)
    blobs = []
    for i in range(count):
        kind = rng.choice(list(DocumentKind))
        spec = sample_spec(kind, i, producer=rng.choice(list(ProducerClass)))
        if kind is not DocumentKind.IDENTITY_SCAN and rng.random() < 0.1:
            spec = replace(spec, scanned=True)
        if rng.random() < 0.2:
            spec = replace(spec, tamper=frozenset(rng.sample(list(Tamper), rng.randint(1, 2))))
        blobs.append(render_document(spec))
    return blobs


def _median_seconds(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _forensic_pass(data: bytes) -> object:
    traces = read_raw_traces(data, decode_budget=16 * DEFAULT_LIMITS.max_bytes)
    return traces.incremental_updates, traces.trailer_id_mismatch, read_xmp_fields(traces.xmp)


@pytest.mark.benchmark
def test_document_parsing_speed() -> None:
    blobs = _corpus(DOCUMENTS)
    pages = sum(parse_in_process(data, DEFAULT_LIMITS).pages for data in blobs)

    parse_s = _median_seconds(lambda: [parse_in_process(data, DEFAULT_LIMITS) for data in blobs])
    miner_s = _median_seconds(lambda: [extract_text(io.BytesIO(data)) for data in blobs])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n{DOCUMENTS} files, {pages} pages, median of {REPEATS} runs, load average {load:.1f}:")
    print(
        f"  parse (fields + forensics): {pages / parse_s:8.0f} pages/s "
        f"({1000 * parse_s / pages:.2f} ms/page)"
    )
    print(
        f"  pdfminer extract_text:      {pages / miner_s:8.0f} pages/s "
        f"({1000 * miner_s / pages:.2f} ms/page)   parse is {miner_s / parse_s:.1f}x faster"
    )

    forensic_s = _median_seconds(lambda: [_forensic_pass(data) for data in blobs])
    print(
        f"  forensic byte pass alone:   {1000 * forensic_s / DOCUMENTS:.3f} ms/file "
        f"= {forensic_s / parse_s:.1%} of a full parse"
    )

    cores = default_workers()
    limits = ParseLimits()
    parse_documents(blobs[:cores], limits=limits, workers=cores)  # start the workers
    one_s = _median_seconds(lambda: parse_documents(blobs, limits=limits, workers=1))
    all_s = _median_seconds(lambda: parse_documents(blobs, limits=limits, workers=cores))
    print(
        f"  worker pool, 1 worker:      {pages / one_s:8.0f} pages/s\n"
        f"  worker pool, {cores} workers:     {pages / all_s:8.0f} pages/s"
        f"   speed-up {one_s / all_s:.2f}x on {cores} cores"
    )

    # CPU seconds do not depend on what else the machine runs: this process plus its workers
    # (counted when they exit, start-up included) over the files, and the wall time that
    # implies on `cores` idle cores.
    shared_pool(cores).close()
    batch = blobs * CPU_ROUNDS
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = time.process_time()
    parse_documents(batch, limits=limits, workers=cores)
    own = time.process_time() - own
    shared_pool(cores).close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    per_file = (own + workers_cpu) / len(batch)
    caller_ms, workers_ms = 1000 * own / len(batch), 1000 * workers_cpu / len(batch)
    print(
        f"  worker pool CPU per file:   {1000 * per_file:.2f} ms (caller {caller_ms:.2f}"
        f" + workers {workers_ms:.2f}); {len(batch)} files,"
        f" >= {per_file * 20_000 / cores:.0f} s for 20,000 files on {cores} idle cores"
    )
    assert parse_s < miner_s
