"""How long rendering one onboarding file takes, next to a bare reportlab page in the same run."""

from __future__ import annotations

import io
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

import pytest
from reportlab.pdfgen import canvas

from training.synth.documents import render_document, sample_spec
from training.synth.plan import Breakage, DocumentKind, DocumentSpec, ProducerClass, Tamper

DOCUMENTS = 500
REPEATS = 3


def _mixed_specs(count: int) -> list[DocumentSpec]:
    """A dataset-like mix: all kinds, ~15% scanned text documents, some tampering and breakage."""
    rng = random.Random(2024)
    specs = []
    for i in range(count):
        kind = rng.choice(list(DocumentKind))
        spec = sample_spec(kind, i, producer=rng.choice(list(ProducerClass)))
        if kind is not DocumentKind.IDENTITY_SCAN and rng.random() < 0.15:
            spec = replace(spec, scanned=True, producer=ProducerClass.SCANNER)
        if rng.random() < 0.2:
            spec = replace(spec, tamper=frozenset(rng.sample(list(Tamper), rng.randint(1, 3))))
        if rng.random() < 0.03:
            spec = replace(spec, breakage=rng.choice(list(Breakage)))
        specs.append(spec)
    return specs


def _bare_page(_: DocumentSpec) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.drawString(72, 720, "Certificate of Incorporation")
    page.save()
    return buffer.getvalue()


def _per_document_ms(
    render: Callable[[DocumentSpec], bytes], specs: list[DocumentSpec]
) -> list[float]:
    times = []
    for spec in specs:
        start = time.perf_counter()
        render(spec)
        times.append((time.perf_counter() - start) * 1000)
    return times


@pytest.mark.benchmark
def test_render_document_speed():
    specs = _mixed_specs(DOCUMENTS)
    render_document(specs[0])  # first-use caches (font widths, noise tile) out of the timing
    medians, means, baseline = [], [], []
    for _ in range(REPEATS):
        times = _per_document_ms(render_document, specs)
        medians.append(statistics.median(times))
        means.append(statistics.fmean(times))
        baseline.append(statistics.median(_per_document_ms(_bare_page, specs)))
    median, mean, bare = (statistics.median(v) for v in (medians, means, baseline))
    print(
        f"\nrender_document, {DOCUMENTS} mixed documents x {REPEATS}: "
        f"median {median:.3f} ms/doc, mean {mean:.3f} ms/doc; "
        f"bare reportlab page (one drawString + save) {bare:.3f} ms; "
        f"ratio median/bare {median / bare:.2f}, mean/bare {mean / bare:.2f}"
    )
    assert median > 0 and bare > 0
