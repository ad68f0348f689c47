"""Onboarding PDFs in this maker's own wordings and layouts: register extracts, bank statements,
utility bills and identity scans; forged ones carry another name or number, or were edited
after the fact (an incremental update by an image or PDF editor)."""

from __future__ import annotations

import datetime as dt
import io
import re

import numpy as np
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from foreign.population import DAY, Provider

HONEST_TOOLS = (
    ("Microsoft: Print To PDF", "Microsoft Word"),
    ("macOS Version 14.4 (Build 23E214) Quartz PDFContext", "Pages"),
    ("Skia/PDF m122", "Chromium"),
    ("KONICA MINOLTA bizhub C300i", "Scan to PDF"),
)
EDITORS = ("Adobe Photoshop 25.4 (Windows)", "PDFescape Online", "Sejda PDF Editor")
# reportlab's invariant mode stamps this date; it is rewritten in place (same length).
FIXED_DATE = b"D:20000101000000+00'00'"


def _pdf_date(when: int) -> bytes:
    return dt.datetime.fromtimestamp(when, dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'").encode()


def _text_pdf(lines: list[str], tool: tuple[str, str], made: int) -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(612, 792), invariant=1)
    sheet.setProducer(tool[0])
    sheet.setCreator(tool[1])
    y = 740.0
    for i, line in enumerate(lines):
        sheet.setFont("Times-Bold" if i == 0 else "Times-Roman", 15 if i == 0 else 10.5)
        sheet.drawString(72 if i else 180, y, line)
        y -= 26 if i == 0 else 17
    sheet.showPage()
    sheet.save()
    return buffer.getvalue().replace(FIXED_DATE, _pdf_date(made))


def _scan_pdf(rng: np.random.Generator, made: int) -> bytes:
    image = Image.fromarray(rng.integers(90, 220, (90, 140), dtype=np.uint8), mode="L")
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(612, 792), invariant=1)
    sheet.setProducer("Canon MF Scan Utility")
    sheet.drawImage(ImageReader(image), 100, 420, 400, 260)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue().replace(FIXED_DATE, _pdf_date(made))


def edited(pdf: bytes, editor: str, when: int) -> bytes:
    """`pdf` with an incremental update: a new Info dictionary naming `editor`, modified at
    `when`, appended after the original file as PDF editors save."""
    size = int(re.findall(rb"/Size (\d+)", pdf)[-1])
    root = re.findall(rb"/Root (\d+) 0 R", pdf)[-1]
    previous = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    created = re.findall(rb"/CreationDate \((D:[^)]*)\)", pdf)
    body = b"%d 0 obj\n<< /Producer (%s) /ModDate (%s) /CreationDate (%s) >>\nendobj\n" % (
        size,
        editor.encode(),
        _pdf_date(when),
        created[-1] if created else _pdf_date(when),
    )
    offset = len(pdf)
    out = pdf + body
    xref = len(out)
    out += b"xref\n%d 1\n%010d 00000 n \n" % (size, offset)
    out += (
        b"trailer\n<< /Size %d /Root %s 0 R /Info %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
        % (
            size + 1,
            root,
            size,
            previous,
            xref,
        )
    )
    return out


def _day(when: int) -> str:
    return dt.datetime.fromtimestamp(when, dt.UTC).strftime("%d.%m.%Y")


def documents(p: Provider, rng: np.random.Generator) -> dict[str, bytes]:
    """File name -> PDF bytes of what `p` uploaded at signup (empty: nothing uploaded)."""
    forged = p.mechanism == "paperwork" or (p.mechanism != "honest" and rng.random() < 0.25)
    if p.mechanism == "paperwork" and rng.random() < 0.25:
        return {}  # never sent the papers the platform asked for
    name, number = p.legal_name, p.registration
    trick = str(rng.choice(["name", "number", "edit"])) if forged else ""
    if trick == "name":
        name = "Nordlys Trading " + name.split()[-1]
    if trick == "number":
        number = f"{rng.integers(10_000_000, 99_999_999)}"
    tool = HONEST_TOOLS[int(rng.integers(0, len(HONEST_TOOLS)))]
    issued = p.created - int(rng.integers(3, 60)) * DAY
    address = f"{p.street}, {p.postcode} {p.city}"
    files: dict[str, bytes] = {}
    if p.business_type == "individual":
        files["id-front.pdf"] = _scan_pdf(rng, p.created - DAY)
        if rng.random() < 0.6:
            files["utility-bill.pdf"] = _text_pdf(
                [
                    "Electricity Invoice",
                    f"Customer: {name}",
                    f"Supply address: {address}",
                    f"Invoice date: {_day(issued)}",
                    f"Amount due: {rng.integers(20, 200)}.00",
                ],
                tool,
                issued,
            )
    else:
        files["register-extract.pdf"] = _text_pdf(
            [
                "Extract from the Register of Companies",
                f"Registered name: {name}",
                f"Company number: {number}",
                f"Registered office: {address}",
                f"Date of extract: {_day(issued)}",
            ],
            tool,
            issued,
        )
        if rng.random() < 0.7:
            opening = int(rng.integers(1_000, 50_000))
            files["statement.pdf"] = _text_pdf(
                [
                    "Account Statement",
                    f"Account holder: {name}",
                    f"Period ending: {_day(issued)}",
                    f"Opening balance: {opening}.00",
                    f"Closing balance: {opening + int(rng.integers(-500, 5_000))}.00",
                ],
                tool,
                issued,
            )
    if trick == "edit" or (p.mechanism == "honest" and rng.random() < 0.04):
        # Honest providers sometimes fill in a form in an editor, too.
        target = sorted(files)[-1]
        editor = EDITORS[int(rng.integers(0, len(EDITORS)))] if trick else "Adobe Acrobat Pro"
        files[target] = edited(files[target], editor, p.created - int(rng.integers(0, 3)) * DAY)
    if rng.random() < 0.01:
        target = sorted(files)[0]
        files[target] = files[target][: len(files[target]) // 2]  # an upload cut short
    return files
