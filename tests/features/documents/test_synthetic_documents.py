"""Files from the synthetic marketplace renderer: every kind, field, trace and breakage is read."""

from __future__ import annotations

import pytest

from features.documents.evidence import DocumentEvidence, ParseLimits
from features.documents.matching import address_similarity, name_similarity, numbers_match
from features.documents.parse import parse_in_process
from training.synth.documents import render_document, sample_spec
from training.synth.plan import Breakage, DocumentKind, DocumentSpec, ProducerClass, Tamper

LIMITS = ParseLimits()
COUNTRIES = ("US", "GB", "DE", "NL", "FR", "AU", "CA", "IE")
TEXT_KINDS = [kind for kind in DocumentKind if kind is not DocumentKind.IDENTITY_SCAN]
DAY = 86_400


def parsed(spec: DocumentSpec) -> DocumentEvidence:
    return parse_in_process(render_document(spec), LIMITS)


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize("kind", TEXT_KINDS, ids=lambda kind: kind.value)
def test_each_kind_and_its_identity_fields_are_read(kind: DocumentKind, country: str) -> None:
    for seed in range(3):
        spec = sample_spec(kind, seed, country=country)
        evidence = parsed(spec)
        shown = spec.shown
        assert evidence.error is None
        assert evidence.kind == kind.value
        printed = evidence.holder if kind is DocumentKind.BANK_STATEMENT else evidence.legal_name
        assert printed is not None and name_similarity(printed, [shown.legal_name]) == 1.0
        assert evidence.issued_on == spec.issued_on - spec.issued_on % DAY
        assert evidence.country == country
        expected = f"{shown.address.line1} {shown.address.postal_code} {shown.address.city}"
        assert evidence.address is not None
        assert (address_similarity(evidence.address, [expected]) or 0) >= 0.9
        if kind is DocumentKind.REGISTRATION_CERTIFICATE:
            assert evidence.registration_number is not None
            assert numbers_match(evidence.registration_number, shown.registration_number)
        if kind is DocumentKind.TAX_ID_LETTER:
            assert evidence.tax_id is not None
            assert numbers_match(evidence.tax_id, shown.tax_id)


@pytest.mark.parametrize("seed", range(6))
def test_statement_balances_and_currency_are_read(seed: int) -> None:
    spec = sample_spec(DocumentKind.BANK_STATEMENT, seed)
    evidence = parsed(spec)
    assert spec.statement_totals is not None
    opening, closing, credits = spec.statement_totals
    assert evidence.currency == spec.shown.currency
    assert evidence.opening_balance is not None and evidence.closing_balance is not None
    assert round(evidence.opening_balance * 100) == opening
    assert round(evidence.closing_balance * 100) == closing
    assert evidence.total_credits is not None and round(evidence.total_credits * 100) == credits


@pytest.mark.parametrize("seed", range(4))
def test_identity_scans_are_recognised_by_their_shape(seed: int) -> None:
    evidence = parsed(sample_spec(DocumentKind.IDENTITY_SCAN, seed))
    assert evidence.kind == "identity_scan"
    assert evidence.image_only_pages == evidence.pages == 1
    assert evidence.producer_class == "scanner"


@pytest.mark.parametrize("kind", TEXT_KINDS, ids=lambda kind: kind.value)
def test_scanned_documents_of_other_kinds_stay_unknown(kind: DocumentKind) -> None:
    evidence = parsed(sample_spec(kind, 1, scanned=True))
    assert evidence.kind == "unknown"
    assert evidence.image_only_pages == evidence.pages
    assert evidence.text_chars == 0


@pytest.mark.parametrize("producer", list(ProducerClass), ids=lambda p: p.value)
def test_the_producing_software_family_is_recognised(producer: ProducerClass) -> None:
    for seed in range(4):
        spec = sample_spec(DocumentKind.BANK_STATEMENT, seed, producer=producer)
        assert parsed(spec).producer_class == producer.value


TRACE = {
    Tamper.INCREMENTAL_EDIT: lambda e: e.incremental_updates >= 1,
    Tamper.TOUCHUP_TEXT_EDIT: lambda e: e.touchup_text_edit,
    Tamper.MIXED_FONTS: lambda e: e.mixed_font_lines >= 1,
    Tamper.INFO_XMP_MISMATCH: lambda e: e.info_xmp_mismatch is True,
    Tamper.TRAILER_ID_MISMATCH: lambda e: e.trailer_id_mismatch is True,
    Tamper.MODIFIED_AFTER_CREATION: lambda e: e.modified_at - e.created_at > DAY,
}


@pytest.mark.parametrize("tamper", list(Tamper), ids=lambda t: t.value)
@pytest.mark.parametrize("kind", list(DocumentKind), ids=lambda kind: kind.value)
def test_each_tamper_leaves_its_trace_and_only_its_own(kind: DocumentKind, tamper: Tamper) -> None:
    for seed in range(2):
        clean = parsed(sample_spec(kind, seed))
        edited = parsed(sample_spec(kind, seed, tamper=frozenset({tamper})))
        assert TRACE[tamper](edited)
        assert not TRACE[tamper](clean)


def test_typing_over_a_scan_is_seen_as_an_overlay() -> None:
    spec = sample_spec(DocumentKind.IDENTITY_SCAN, 2, tamper=frozenset({Tamper.MIXED_FONTS}))
    evidence = parsed(spec)
    assert evidence.scan_overlay_pages == 1
    assert evidence.kind == "identity_scan"
    assert parsed(sample_spec(DocumentKind.IDENTITY_SCAN, 2)).scan_overlay_pages == 0


EXPECTED_ERROR = {
    Breakage.TRUNCATED: "corrupt",
    Breakage.EMPTY: "empty",
    Breakage.NOT_PDF: "not_pdf",
}


@pytest.mark.parametrize("breakage", list(Breakage), ids=lambda b: b.value)
def test_broken_uploads_get_their_reason(breakage: Breakage) -> None:
    for kind in DocumentKind:
        for seed in range(3):
            evidence = parsed(sample_spec(kind, seed, breakage=breakage))
            assert evidence.error == EXPECTED_ERROR[breakage]
            assert evidence.legal_name is None and evidence.kind == "unknown"
