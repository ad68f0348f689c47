"""Builders of test PDFs: text drawn with reportlab in wordings and layouts the synthetic
generator never uses, image-only scans, and minimal files written by hand for hostile cases."""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from features.documents import ParseLimits

# Small limits keep hostile-file tests fast; the deadline still leaves room for a busy machine.
FAST_LIMITS = ParseLimits(timeout_s=2.0, max_bytes=2 * 1024 * 1024)


@dataclass(frozen=True)
class Row:
    """One line to draw: cells as (x, text), the font and size, and the gap to the next line."""

    cells: tuple[tuple[float, str], ...]
    font: str = "Helvetica"
    size: float = 10.0
    gap: float = 16.0


def row(*cells: tuple[float, str] | str, font: str = "Helvetica", size: float = 10.0) -> Row:
    """A row; a bare string is drawn at the left margin."""
    placed = tuple((60.0, cell) if isinstance(cell, str) else cell for cell in cells)
    return Row(placed, font, size, max(14.0, size * 1.6))


def draw_pdf(
    rows: Sequence[Row],
    *,
    producer: str = "LibreOffice 7.6",
    creator: str = "Writer",
    encrypt: StandardEncryption | None = None,
    pages: int = 1,
) -> bytes:
    """A text PDF drawing `rows` top-down on each of `pages` A4 pages."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(595, 842), encrypt=encrypt)
    sheet.setProducer(producer)
    sheet.setCreator(creator)
    for _ in range(pages):
        y = 790.0
        for line in rows:
            sheet.setFont(line.font, line.size)
            for x, text in line.cells:
                sheet.drawString(x, y, text)
            y -= line.gap
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def scanned_pdf(width_px: int, height_px: int, placed: tuple[float, float, float, float]) -> bytes:
    """An image-only page: a grey bitmap of the given pixels drawn at (x, y, w, h)."""
    from PIL import Image

    image = Image.new("L", (width_px, height_px), 180)
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(595, 842))
    sheet.setProducer("Epson Scan 2")
    sheet.drawImage(ImageReader(image), *placed)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def raw_pdf(
    content: bytes,
    *,
    media_box: tuple[int, int] = (612, 792),
    page_count: int = 1,
    contents_refs: int = 1,
    info: bytes = b"<< /Producer (hand) >>",
    metadata: bytes | None = None,
) -> bytes:
    """A minimal PDF written by hand: `page_count` pages sharing one Flate content stream,
    which each page lists `contents_refs` times (a cheap way to multiply parsing work), and
    optionally a metadata stream (`metadata`: the stream object's dictionary and data)."""
    stream = zlib.compress(content, 9)
    first_page = 6
    kids = " ".join(f"{first_page + i} 0 R" for i in range(page_count))
    contents = " ".join(["4 0 R"] * contents_refs)
    meta_ref = f" /Metadata {first_page + page_count} 0 R" if metadata else ""
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R{meta_ref} >>".encode(),
        f"<< /Type /Pages /Kids [{kids}] /Count {page_count} >>".encode(),
        info,
        b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    page = (
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {media_box[0]} {media_box[1]}] "
        f"/Resources << /Font << /F1 5 0 R >> >> /Contents [{contents}] >>"
    ).encode()
    objects.extend([page] * page_count)
    if metadata:
        objects.append(metadata)
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
