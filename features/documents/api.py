"""Parse uploaded files into evidence, safely: screening here, parsing in worker processes."""

from __future__ import annotations

from collections.abc import Sequence

from features.documents.evidence import DocumentEvidence, ParseLimits
from features.documents.parse import blank_evidence, screen
from features.documents.workers import default_workers, shared_pool

DEFAULT_LIMITS = ParseLimits()


def parse_document(
    data: bytes,
    *,
    limits: ParseLimits = DEFAULT_LIMITS,
    parsers: int = 1,
    wait_s: float | None = None,
) -> DocumentEvidence:
    """Parse one file into evidence within `limits`; a bad file yields `error`, never an exception.

    The parse runs in a reused worker process that is killed if it overruns `limits.timeout_s`,
    so an encrypted, broken or hostile upload cannot hang or exhaust the caller. Concurrent
    callers share up to `parsers` such processes; with `wait_s`, ParsersBusy when none frees
    up in time (hostile files keeping them all busy must not queue every other upload).
    """
    return parse_documents([data], limits=limits, workers=parsers, wait_s=wait_s)[0]


def parse_documents(
    blobs: Sequence[bytes],
    *,
    limits: ParseLimits = DEFAULT_LIMITS,
    workers: int | None = None,
    wait_s: float | None = None,
) -> list[DocumentEvidence]:
    """Parse many files across `workers` processes (default: the usable cores), in input order.

    `wait_s` bounds the wait for a first free process (ParsersBusy); without it, wait."""
    parallel = max(1, workers if workers is not None else default_workers())
    results: list[DocumentEvidence | None] = [None] * len(blobs)
    to_parse: list[int] = []
    for index, data in enumerate(blobs):
        reason = screen(bytes(data), limits)
        if reason is None:
            to_parse.append(index)
        else:
            results[index] = blank_evidence(bytes(data), reason)
    if to_parse:
        pool = shared_pool(parallel)
        parsed = pool.map([bytes(blobs[i]) for i in to_parse], limits, parallel, wait_s=wait_s)
        for index, evidence in zip(to_parse, parsed, strict=True):
            results[index] = evidence
    return [evidence for evidence in results if evidence is not None]
