"""Each forensic trace is found in files built by hand and absent from clean ones."""

from __future__ import annotations

import re
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pdf_builders import raw_pdf
from reportlab.pdfgen import canvas

from features.documents.evidence import ParseLimits
from features.documents.fonts import font_family, mixed_font_line
from features.documents.layout import Line, Span
from features.documents.metadata import document_history, parse_pdf_date, parse_xmp_date
from features.documents.parse import parse_in_process
from features.documents.producers import classify_producer
from features.documents.raw_traces import read_raw_traces

LIMITS = ParseLimits()


def append_revision(data: bytes, info: str, *, ids: tuple[str, str] | None = None) -> bytes:
    """Append an incremental update that replaces the Info dictionary, as an editor saves."""
    size = int(re.findall(rb"/Size (\d+)", data)[-1])
    root = re.findall(rb"/Root (\d+ \d+ R)", data)[-1].decode()
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    body = bytearray(data)
    offset = len(body)
    body += f"{size} 0 obj\n{info}\nendobj\n".encode()
    xref = len(body)
    body += f"xref\n{size} 1\n{offset:010d} 00000 n \n".encode()
    id_entry = f" /ID [<{ids[0]}><{ids[1]}>]" if ids else ""
    body += (
        f"trailer\n<< /Size {size + 1} /Root {root} /Info {size} 0 R /Prev {prev}{id_entry} >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(body)


def with_trailer_ids(data: bytes, first: str, second: str) -> bytes:
    return data.replace(b"/Root 1 0 R", f"/Root 1 0 R /ID [<{first}> <{second}>]".encode())


def test_a_clean_file_shows_no_trace(plain_pdf: bytes) -> None:
    evidence = parse_in_process(plain_pdf, LIMITS)
    assert evidence.incremental_updates == 0
    assert not evidence.touchup_text_edit
    assert evidence.mixed_font_lines == 0
    assert evidence.producer_class == "office"
    assert evidence.image_only_pages == 0


def test_an_appended_revision_counts_as_an_incremental_update(plain_pdf: bytes) -> None:
    edited = append_revision(plain_pdf, "<< /Producer (Sejda PDF Editor) >>")
    evidence = parse_in_process(edited, LIMITS)
    assert evidence.error is None
    assert evidence.incremental_updates == 1
    assert evidence.producer_class == "editor"


def test_linearization_alone_is_not_an_edit() -> None:
    # A linearized file carries a first-page xref section and trailer ahead of the main one.
    head = (
        b"%PDF-1.5\n1 0 obj\n<< /Linearized 1 /L 9999 /N 1 /T 9000 >>\nendobj\n"
        b"xref\n1 1\n0000000009 00000 n \ntrailer\n<< /Size 2 /Prev 500 >>\nstartxref\n0\n%%EOF\n"
    )
    body = raw_pdf(b"BT /F1 12 Tf 72 700 Td (x) Tj ET").split(b"\n", 1)[1]
    linearized = read_raw_traces(head + body, decode_budget=1 << 24)
    assert linearized.revisions == 2
    assert linearized.incremental_updates == 0
    edited = read_raw_traces(
        append_revision(head + body, "<< /Producer (x) >>"), decode_budget=1 << 24
    )
    assert edited.incremental_updates == 1


def test_touchup_marks_are_found_inside_compressed_content() -> None:
    marked = raw_pdf(b"BT /F1 12 Tf 72 700 Td /TouchUp_TextEdit MP (Total 9,999.00) Tj ET")
    clean = raw_pdf(b"BT /F1 12 Tf 72 700 Td (Total 9,999.00) Tj ET")
    assert b"TouchUp" not in marked  # only the inflated stream says it
    assert parse_in_process(marked, LIMITS).touchup_text_edit
    assert not parse_in_process(clean, LIMITS).touchup_text_edit


@pytest.mark.parametrize(
    ("ids", "expected"),
    [(("a1b2", "a1b2"), False), (("a1b2", "c3d4"), True), (None, None)],
)
def test_trailer_id_pairs_that_differ_are_flagged(
    ids: tuple[str, str] | None, expected: bool | None
) -> None:
    data = raw_pdf(b"BT /F1 12 Tf 72 700 Td (x) Tj ET")
    if ids is not None:
        data = with_trailer_ids(data, *ids)
    assert parse_in_process(data, LIMITS).trailer_id_mismatch is expected


def test_a_permanent_id_that_changes_between_revisions_is_flagged() -> None:
    data = with_trailer_ids(raw_pdf(b"BT /F1 12 Tf 72 700 Td (x) Tj ET"), "aaaa", "aaaa")
    edited = append_revision(data, "<< /Producer (x) >>", ids=("bbbb", "bbbb"))
    assert parse_in_process(edited, LIMITS).trailer_id_mismatch is True


def xmp_pdf(info_producer: str, xmp_producer: str, *, compress: bool) -> bytes:
    packet = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        f'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" pdf:Producer="{xmp_producer}" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>2025-03-14T10:00:00Z'
        "</xmp:CreateDate></rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()
    stream = zlib.compress(packet) if compress else packet
    flate = b"/Filter /FlateDecode " if compress else b""
    head = b"<< /Type /Metadata /Subtype /XML " + flate + b"/Length %d >>\n" % len(stream)
    info = f"<< /Producer ({info_producer}) /CreationDate (D:20250314110000+01'00') >>"
    return raw_pdf(
        b"BT /F1 12 Tf 72 700 Td (x) Tj ET",
        info=info.encode(),
        metadata=head + b"stream\n" + stream + b"\nendstream",
    )


@pytest.mark.parametrize("compress", [False, True])
def test_info_and_xmp_disagreeing_is_flagged(compress: bool) -> None:
    same = parse_in_process(xmp_pdf("iText 7", "iText 7", compress=compress), LIMITS)
    differ = parse_in_process(xmp_pdf("iText 7", "Adobe Acrobat Pro", compress=compress), LIMITS)
    assert same.info_xmp_mismatch is False
    assert differ.info_xmp_mismatch is True


def test_without_xmp_the_comparison_is_unobserved(plain_pdf: bytes) -> None:
    assert parse_in_process(plain_pdf, LIMITS).info_xmp_mismatch is None


def test_dates_in_info_and_xmp_agree_across_time_zones() -> None:
    history = document_history(
        {"CreationDate": "D:20250314110000+01'00'"}, {"CreateDate": "2025-03-14T10:00:00Z"}
    )
    assert history.info_xmp_mismatch is False
    later = document_history(
        {"CreationDate": "D:20250314110000+01'00'"}, {"CreateDate": "2025-03-20T10:00:00Z"}
    )
    assert later.info_xmp_mismatch is True


@given(
    st.datetimes(
        min_value=__import__("datetime").datetime(1995, 1, 1),
        max_value=__import__("datetime").datetime(2090, 1, 1),
    ),
    st.integers(min_value=-12, max_value=14),
)
def test_pdf_and_xmp_dates_denote_the_same_instant(moment: object, hours: int) -> None:
    import datetime as dt

    zone = dt.timezone(dt.timedelta(hours=hours))
    local = moment.replace(microsecond=0, tzinfo=zone)  # type: ignore[attr-defined]
    sign = "+" if hours >= 0 else "-"
    pdf_text = local.strftime("D:%Y%m%d%H%M%S") + f"{sign}{abs(hours):02d}'00'"
    pdf_date = parse_pdf_date(pdf_text)
    xmp_date = parse_xmp_date(local.isoformat())
    assert pdf_date is not None and xmp_date is not None
    assert pdf_date.seconds == xmp_date.seconds == int(local.timestamp())


def test_a_word_set_in_two_typefaces_is_a_mixed_font_line() -> None:
    import io

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.setFont("Helvetica-Bold", 10)
    sheet.drawString(60, 700, "Closing balance")
    sheet.setFont("Helvetica", 10)
    sheet.drawString(200, 700, "12,4")
    width = sheet.stringWidth("12,4", "Helvetica", 10)
    sheet.setFont("Times-Roman", 10.5)
    sheet.drawString(200 + width, 700, "80.00")
    sheet.setFont("Helvetica-Bold", 10)
    sheet.drawString(60, 680, "Opening balance")
    sheet.setFont("Helvetica", 10)
    sheet.drawString(200, 680, "9,120.00")
    sheet.showPage()
    sheet.save()
    assert parse_in_process(buffer.getvalue(), LIMITS).mixed_font_lines == 1


def span(x0: float, x1: float, family: str, size: float = 10.0, bold: bool = False) -> Span:
    return Span(x0, x1, 700.0, size, family, bold, "text")


def test_layout_that_only_varies_weight_or_heading_size_is_not_mixed() -> None:
    assert not mixed_font_line(
        Line(700.0, (span(60, 150, "helvetica", bold=True), span(200, 260, "helvetica")))
    )
    assert not mixed_font_line(
        Line(700.0, (span(60, 150, "helvetica", size=16), span(400, 460, "helvetica", size=9)))
    )
    assert mixed_font_line(Line(700.0, (span(60, 150, "helvetica"), span(200, 260, "times"))))
    assert mixed_font_line(
        Line(700.0, (span(60, 100, "helvetica", size=10), span(100, 130, "helvetica", size=10.5)))
    )


@pytest.mark.parametrize(
    ("name", "family", "bold"),
    [
        ("ABCDEF+Arial-BoldMT", "arial", True),
        ("ArialMT", "arial", False),
        ("TimesNewRomanPS-BoldMT", "timesnew", True),
        ("TimesNewRomanPSMT", "timesnew", False),
        ("Helvetica-Oblique", "helvetica", False),
        ("Calibri,Bold", "calibri", True),
    ],
)
def test_font_names_reduce_to_their_family(name: str, family: str, bold: bool) -> None:
    assert font_family(name) == (family, bold)


@pytest.mark.parametrize(
    ("producer", "creator", "family"),
    [
        ("Adobe Acrobat Pro (64-bit) 24.1", "Microsoft Word", "editor"),
        ("Adobe PDF Library 15.0", "Acrobat PDFMaker 15 for Word", "office"),
        ("Acrobat Distiller 10.0", "PScript5.dll", "generator"),
        ("Canon iR-ADV C5535 PDF", "", "scanner"),
        ("Adobe Scan for Android", "", "scanner"),
        ("macOS Version 14.4 Quartz PDFContext", "Preview", "editor"),
        ("LibreOffice 7.6", "Writer", "office"),
        ("wkhtmltopdf 0.12.6", "Qt 4.8.7", "generator"),
        ("Canva", "", "editor"),
        ("", "", "unknown"),
        ("Custom Tool 1.0", "", "unknown"),
    ],
)
def test_producer_strings_map_to_a_software_family(
    producer: str, creator: str, family: str
) -> None:
    assert classify_producer(producer, creator) == family


def test_scanned_pages_are_image_only_and_card_shaped_ones_are_identity_scans() -> None:
    from pdf_builders import scanned_pdf

    card = parse_in_process(scanned_pdf(428, 270, (150, 500, 300, 190)), LIMITS)
    page = parse_in_process(scanned_pdf(595, 842, (0, 0, 595, 842)), LIMITS)
    assert card.image_only_pages == page.image_only_pages == 1
    assert card.kind == "identity_scan"
    assert page.kind == "unknown"
    assert card.text_chars == page.text_chars == 0


def test_modification_dates_come_from_the_info_dictionary(plain_pdf: bytes) -> None:
    edited = append_revision(
        plain_pdf,
        "<< /Producer (iLovePDF) /CreationDate (D:20250101090000Z) /ModDate (D:20250301090000Z) >>",
    )
    evidence = parse_in_process(edited, LIMITS)
    assert evidence.created_at is not None and evidence.modified_at is not None
    assert (evidence.modified_at - evidence.created_at) // 86_400 == 59
