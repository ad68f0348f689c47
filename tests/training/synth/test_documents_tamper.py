"""Tamper traces in rendered PDFs are where a forensic parser looks for them, and only there."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pdfplumber
import pytest
from pdfminer.pdftypes import resolve1

from training.synth.documents import render_document, sample_spec, to_pdf_text
from training.synth.documents.metadata import pdf_date, xmp_date
from training.synth.plan import DocumentKind, ProducerClass, Tamper

TEXT_KINDS = [k for k in DocumentKind if k is not DocumentKind.IDENTITY_SCAN]


def tampered(kind: DocumentKind, seed: int, *traces: Tamper, **overrides):
    return sample_spec(kind, seed, tamper=frozenset(traces), **overrides)


def read(data: bytes) -> dict:
    """Text, Info, XMP packet, content streams and per-word fonts of a PDF."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = pdf.pages
        return {
            "text": "\n".join(p.extract_text() for p in pages),
            "info": pdf.metadata,
            "xmp": resolve1(pdf.doc.catalog["Metadata"]).get_data().decode("utf-8"),
            "content": b"".join(resolve1(s).get_data() for p in pages for s in p.page_obj.contents),
            "word_fonts": [
                {c["fontname"] for c in word["chars"]}
                for p in pages
                for word in p.extract_words(return_chars=True)
            ],
            "images": [len(p.images) for p in pages],
        }


def xmp_field(xmp: str, name: str) -> str:
    return re.search(rf'{name}="([^"]*)"', xmp).group(1)


@pytest.mark.parametrize("kind", TEXT_KINDS)
def test_honest_documents_carry_no_trace(kind):
    for layout in range(3):
        spec = sample_spec(kind, layout, layout=layout)
        data = render_document(spec)
        doc = read(data)
        assert data.count(b"%%EOF") == 1 and b"/Prev" not in data
        assert b"TouchUp_TextEdit" not in doc["content"]
        assert all(len(fonts) == 1 for fonts in doc["word_fonts"])
        assert xmp_field(doc["xmp"], "pdf:Producer") == doc["info"]["Producer"]
        assert xmp_field(doc["xmp"], "xmp:ModifyDate") == xmp_date(spec.modified_at)
        assert doc["info"]["ModDate"] == doc["info"]["CreationDate"]


@pytest.mark.parametrize("kind", TEXT_KINDS)
def test_incremental_edit_appends_a_revision_showing_the_edited_text(kind):
    spec = tampered(kind, 4, Tamper.INCREMENTAL_EDIT, producer=ProducerClass.EDITOR)
    data = render_document(spec)
    assert data.count(b"%%EOF") == 2
    first_end = data.index(b"%%EOF") + len(b"%%EOF\n")
    first, update = data[:first_end], data[first_end:]
    first_xref = int(re.findall(rb"startxref\n(\d+)", first)[-1])
    assert re.search(rb"/Prev (\d+)", update).group(1) == str(first_xref).encode()
    assert len(re.findall(rb"(?m)^xref$", update)) == 1 and b" obj\n" in update
    name = to_pdf_text(spec.shown.legal_name)
    edited, genuine = read(data), read(first)
    assert name in edited["text"] and name not in genuine["text"]
    assert edited["info"]["ModDate"] == pdf_date(spec.modified_at)
    assert genuine["info"]["Producer"] != edited["info"]["Producer"]


def test_incremental_edit_on_a_scan_types_text_over_the_image():
    spec = tampered(DocumentKind.REGISTRATION_CERTIFICATE, 2, Tamper.INCREMENTAL_EDIT, scanned=True)
    data = render_document(spec)
    first = data[: data.index(b"%%EOF") + 6]
    assert read(first)["text"] == ""
    edited = read(data)
    assert to_pdf_text(spec.shown.legal_name).split()[0] in edited["text"]
    assert edited["images"] == [1]


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_touchup_edit_leaves_acrobat_marked_content(kind):
    spec = tampered(kind, 3, Tamper.TOUCHUP_TEXT_EDIT)
    content = read(render_document(spec))["content"]
    assert b"/TouchUp_TextEdit MP" in content
    assert re.search(rb"/Span <</MCID \d+>> BDC", content) and b"EMC" in content


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_mixed_fonts_set_part_of_one_word_in_another_font(kind):
    spec = tampered(kind, 6, Tamper.MIXED_FONTS)
    doc = read(render_document(spec))
    assert sum(len(fonts) > 1 for fonts in doc["word_fonts"]) == 1


def test_info_and_xmp_disagree_when_the_packet_is_stale():
    for modified_later in (False, True):
        spec = tampered(DocumentKind.BANK_STATEMENT, 8, Tamper.INFO_XMP_MISMATCH)
        if modified_later:
            spec = replace(spec, modified_at=spec.created_at + 5 * 86_400)
        doc = read(render_document(spec))
        assert xmp_field(doc["xmp"], "pdf:Producer") != doc["info"]["Producer"]
        assert xmp_field(doc["xmp"], "xmp:ModifyDate") != xmp_date(spec.modified_at)
        assert doc["info"]["ModDate"] == pdf_date(spec.modified_at)


def test_trailer_ids_differ_only_after_a_foreign_save():
    spec = sample_spec(DocumentKind.TAX_ID_LETTER, 9)
    for traces, differ in (((), False), ((Tamper.TRAILER_ID_MISMATCH,), True)):
        data = render_document(replace(spec, tamper=frozenset(traces)))
        first, second = re.findall(rb"/ID \[<([0-9A-F]{32})> <([0-9A-F]{32})>\]", data)[-1]
        assert (first != second) is differ


def test_modified_after_creation_moves_moddate_past_creationdate():
    spec = tampered(DocumentKind.PROOF_OF_ADDRESS, 1, Tamper.MODIFIED_AFTER_CREATION)
    assert spec.modified_at == spec.created_at  # the flag alone must still leave the trace
    info = read(render_document(spec))["info"]
    assert info["ModDate"] > info["CreationDate"] == pdf_date(spec.created_at)
    later = replace(spec, modified_at=spec.created_at + 40 * 86_400)
    assert read(render_document(later))["info"]["ModDate"] == pdf_date(later.modified_at)


def test_all_traces_together_still_open_and_show_the_shown_name():
    spec = tampered(DocumentKind.REGISTRATION_CERTIFICATE, 11, *Tamper, layout=1)
    data = render_document(spec)
    doc = read(data)
    assert data.count(b"%%EOF") == 2
    assert b"/TouchUp_TextEdit MP" in doc["content"]
    assert any(len(fonts) > 1 for fonts in doc["word_fonts"])
    assert "".join(to_pdf_text(spec.shown.legal_name).split()) in "".join(doc["text"].split())
