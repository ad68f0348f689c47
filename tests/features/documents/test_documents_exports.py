"""The package's public surface is exactly what callers are promised."""

from __future__ import annotations

import inspect

import features.documents as documents


def test_the_public_names_are_exactly_the_promised_ones() -> None:
    assert sorted(documents.__all__) == sorted(
        [
            "DOCUMENT_FEATURES",
            "DocumentEvidence",
            "ParseLimits",
            "ParsersBusy",
            "document_features",
            "parse_document",
            "parse_documents",
        ]
    )
    assert all(hasattr(documents, name) for name in documents.__all__)


def test_the_default_limits_are_the_documented_ones() -> None:
    limits = documents.ParseLimits()
    assert (limits.max_bytes, limits.max_pages, limits.timeout_s) == (10 * 1024 * 1024, 20, 10.0)
    signature = inspect.signature(documents.parse_document)
    assert signature.parameters["limits"].default == limits
    assert signature.parameters["limits"].kind is inspect.Parameter.KEYWORD_ONLY


def test_evidence_keeps_no_document_text() -> None:
    fields = set(documents.DocumentEvidence.__dataclass_fields__)
    assert not fields & {"text", "raw_text", "lines", "content", "pages_text"}
