"""Rendered onboarding files: every kind, layout and producer opens and shows the spec's facts."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfplumber.utils.exceptions import PdfminerException

from training.synth.documents import render_document, sample_identity, sample_spec, to_pdf_text
from training.synth.documents.layouts import layout_count
from training.synth.documents.metadata import TOOLS, pdf_date
from training.synth.documents.text import date_style, format_amount, format_date
from training.synth.plan import Breakage, DocumentKind, ProducerClass, Tamper

TEXT_KINDS = [k for k in DocumentKind if k is not DocumentKind.IDENTITY_SCAN]
REPO = Path(__file__).resolve().parents[3]
COUNTRIES = ["US", "GB", "DE", "NL", "FR", "AU", "CA", "IE"]


def squash(text: str) -> str:
    """Compare text without whitespace (wrapping) and with compatibility forms unified."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def open_pdf(data: bytes) -> pdfplumber.PDF:
    return pdfplumber.open(io.BytesIO(data))


def page_text(data: bytes) -> str:
    with open_pdf(data) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.mark.parametrize("kind", TEXT_KINDS)
@pytest.mark.parametrize("layout", range(3))
def test_text_documents_show_the_spec_facts_for_every_producer(kind, layout):
    assert layout_count(kind) == 3
    for i, producer in enumerate(ProducerClass):
        country = COUNTRIES[(layout * 4 + i + len(kind)) % len(COUNTRIES)]
        spec = sample_spec(kind, 10 * layout + i, layout=layout, producer=producer, country=country)
        data = render_document(spec)
        with open_pdf(data) as pdf:
            text = squash("\n".join(page.extract_text() for page in pdf.pages))
            producers = {tool.producer for tool in TOOLS[producer]}
            assert pdf.metadata["Producer"] in producers
            assert pdf.metadata["CreationDate"] == pdf_date(spec.created_at)
        shown = spec.shown
        assert squash(to_pdf_text(shown.legal_name)) in text
        assert squash(format_date(spec.issued_on, date_style(country, layout))) in text
        for part in (shown.address.line1, shown.address.city, shown.address.postal_code):
            assert squash(to_pdf_text(part)) in text
        if kind is DocumentKind.REGISTRATION_CERTIFICATE:
            assert squash(shown.registration_number) in text
        if kind is DocumentKind.TAX_ID_LETTER:
            assert squash(shown.tax_id) in text
        if kind is DocumentKind.BANK_STATEMENT:
            assert shown.currency.upper() in text
            assert spec.statement_totals is not None
            for amount in spec.statement_totals:
                assert squash(format_amount(amount, shown.currency, country)) in text


def test_layouts_of_a_kind_differ_in_wording_and_fonts():
    for kind in TEXT_KINDS:
        seen = set()
        for layout in range(3):
            data = render_document(sample_spec(kind, 3, layout=layout, country="GB"))
            with open_pdf(data) as pdf:
                fonts = frozenset(c["fontname"].split("-")[0] for c in pdf.pages[0].chars)
                first_line = pdf.pages[0].extract_text().splitlines()[0]
            seen.add((fonts, first_line))
        assert len(seen) == 3, kind


def test_bank_statements_come_in_one_or_two_pages():
    counts = set()
    for seed in range(12):
        data = render_document(sample_spec(DocumentKind.BANK_STATEMENT, seed))
        with open_pdf(data) as pdf:
            counts.add(len(pdf.pages))
    assert counts == {1, 2}


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_scanned_pages_are_one_image_without_text(kind):
    spec = sample_spec(kind, 5, scanned=True, producer=ProducerClass.SCANNER)
    with open_pdf(render_document(spec)) as pdf:
        assert pdf.metadata["Producer"] in {t.producer for t in TOOLS[ProducerClass.SCANNER]}
        for page in pdf.pages:
            assert page.chars == []
            assert len(page.images) == 1


def test_identity_scans_are_image_only_even_when_not_flagged_scanned():
    for layout in range(3):
        spec = sample_spec(DocumentKind.IDENTITY_SCAN, layout, layout=layout, scanned=False)
        with open_pdf(render_document(spec)) as pdf:
            assert [len(p.chars) for p in pdf.pages] == [0]
            assert len(pdf.pages[0].images) == 1


def _trailer_ids(data: bytes) -> tuple[bytes, bytes]:
    found = re.findall(rb"/ID \[<([0-9A-F]+)> <([0-9A-F]+)>\]", data)
    return found[-1]


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_rendering_is_deterministic_and_the_id_follows_the_seed(kind):
    spec = sample_spec(kind, 7)
    first = render_document(spec)
    assert render_document(replace(spec)) == first
    other = render_document(replace(spec, seed=spec.seed + 1))
    assert _trailer_ids(other) != _trailer_ids(first)
    ids = _trailer_ids(first)
    assert ids[0] == ids[1]


def test_truncated_files_keep_the_header_but_lose_xref_and_trailer():
    for seed in range(4):
        spec = sample_spec(DocumentKind.BANK_STATEMENT, seed, breakage=Breakage.TRUNCATED)
        data = render_document(spec)
        whole = render_document(replace(spec, breakage=None))
        assert data.startswith(b"%PDF-") and whole.startswith(data) and len(data) < len(whole)
        assert b"trailer" not in data and b"startxref" not in data
        with pytest.raises(PdfminerException):
            open_pdf(data)


def test_empty_and_non_pdf_uploads_fail_to_open():
    assert (
        render_document(sample_spec(DocumentKind.TAX_ID_LETTER, 1, breakage=Breakage.EMPTY)) == b""
    )
    magics = set()
    for seed in range(16):
        spec = sample_spec(DocumentKind.TAX_ID_LETTER, seed, breakage=Breakage.NOT_PDF)
        data = render_document(spec)
        assert data and not data.startswith(b"%PDF")
        magics.add(data[:2])
        with pytest.raises(PdfminerException):
            open_pdf(data)
    assert {b"\xff\xd8", b"\x89P", b"<!", b"PK"} <= magics


names = st.text(st.characters(codec="utf-8"), min_size=1, max_size=48)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(legal_name=names, person=names, city=names, street=names, layout=st.integers(0, 2))
def test_any_unicode_identity_renders_and_shows_its_printable_form(
    legal_name, person, city, street, layout
):
    base = sample_identity(1, "DE")
    address = replace(base.address, line1=street, city=city)
    shown = replace(base, legal_name=legal_name, representative=person, address=address)
    for kind in DocumentKind:
        data = render_document(sample_spec(kind, 2, shown=shown, layout=layout))
        assert data.startswith(b"%PDF-")
    data = render_document(
        sample_spec(DocumentKind.PROOF_OF_ADDRESS, 2, shown=shown, layout=layout)
    )
    text = squash(page_text(data))
    assert squash(to_pdf_text(legal_name)) in text
    assert squash(to_pdf_text(city)) in text


def _xref_entries(data: bytes) -> list[tuple[int, int]]:
    """(object number, offset) of every in-use entry, following the /Prev chain."""
    entries, at = [], int(re.findall(rb"startxref\n(\d+)", data)[-1])
    while True:
        assert data[at : at + 5] == b"xref\n"
        section = data[at : data.index(b"trailer", at)].decode("latin-1").splitlines()[1:]
        i = 0
        while i < len(section):
            first, count = map(int, section[i].split())
            for k, entry in enumerate(section[i + 1 : i + 1 + count]):
                assert len(entry) == 19  # 20 bytes with the newline
                if entry.endswith("n "):
                    entries.append((first + k, int(entry[:10])))
            i += 1 + count
        prev = re.search(rb"/Prev (\d+)", data[at : data.index(b"%%EOF", at)])
        if prev is None:
            return entries
        at = int(prev.group(1))


@pytest.mark.parametrize("incremental", [False, True])
def test_xref_offsets_point_at_their_objects(incremental):
    tamper = frozenset({Tamper.INCREMENTAL_EDIT}) if incremental else frozenset()
    for kind in DocumentKind:
        data = render_document(sample_spec(kind, 4, tamper=tamper))
        entries = _xref_entries(data)
        assert entries
        for number, offset in entries:
            assert data[offset:].startswith(b"%d 0 obj\n" % number)


def test_bytes_do_not_depend_on_the_interpreter_hash_seed():
    script = (
        "import hashlib; from training.synth.documents import render_document, sample_spec;"
        "from training.synth.plan import DocumentKind, Tamper;"
        "print(hashlib.sha256(b''.join(render_document(sample_spec(k, 3, tamper=frozenset(Tamper)))"
        " for k in DocumentKind)).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=REPO,
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1
