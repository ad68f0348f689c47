"""Uploads that are not readable PDFs: cut-off files and other formats saved under a .pdf name."""

from __future__ import annotations

import io
import random
import zipfile
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw

from training.synth.documents.scan import degrade, draw_text, encode_jpeg
from training.synth.documents.text import to_pdf_text
from training.synth.plan import DocumentSpec


def truncate(data: bytes, first_xref: int, rng: random.Random) -> bytes:
    """Cut a valid PDF inside its first revision, so no xref table or trailer survives."""
    return data[: rng.randint(first_xref // 5, first_xref - 1)]


def _photo(spec: DocumentSpec, rng: random.Random) -> Image.Image:
    # A phone photo of the document: skewed paper on a dark desk.
    img = Image.new("RGB", (480, 360), (52, 46, 40))
    draw = ImageDraw.Draw(img)
    draw.polygon([(60, 30), (430, 45), (410, 340), (40, 320)], fill=(226, 224, 218))
    for row in range(8):
        draw_text(
            draw,
            80,
            60 + row * 30,
            to_pdf_text(spec.shown.legal_name)[: 30 + row],
            11,
            (40, 40, 40),
        )
    return degrade(img, rng)


def _html(spec: DocumentSpec, rng: random.Random) -> bytes:
    title, body = rng.choice(
        [
            ("502 Bad Gateway", "<h1>502 Bad Gateway</h1><hr><center>nginx</center>"),
            (
                "Session expired",
                "<h1>Your session has expired</h1><p>Please sign in again to "
                "download your documents.</p>",
            ),
            (
                "Access Denied",
                "<h1>Access Denied</h1><p>You don't have permission to access "
                f"/documents/{escape(spec.filename)} on this server.</p>",
            ),
        ]
    )
    return (
        f"<!DOCTYPE html>\n<html><head><title>{title}</title></head>\n<body>{body}</body></html>\n"
    ).encode()


def _docx(spec: DocumentSpec) -> bytes:
    # A word-processor file renamed to .pdf: a zip with the OOXML parts in fixed order and date.
    text = escape(to_pdf_text(spec.shown.legal_name))
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas'
        '.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd'
        '.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas'
        '.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
        '"word/document.xml"/></Relationships>',
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://'
        'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
        f"{text}</w:t></w:r></w:p></w:body></w:document>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), xml)
    return buffer.getvalue()


def not_pdf(spec: DocumentSpec, rng: random.Random) -> bytes:
    """A JPEG or PNG photo, an HTML error page or a .docx, as uploads named .pdf turn out to be."""
    kind = rng.choice(("jpeg", "png", "html", "docx"))
    if kind == "jpeg":
        return encode_jpeg(_photo(spec, rng), 80).data
    if kind == "png":
        buffer = io.BytesIO()
        _photo(spec, rng).convert("L").save(buffer, "PNG")
        return buffer.getvalue()
    if kind == "html":
        return _html(spec, rng)
    return _docx(spec)
