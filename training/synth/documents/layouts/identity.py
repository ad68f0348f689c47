"""Identity-document scans: an ID card, a passport data page and a driving licence, as pixels."""

from __future__ import annotations

import unicodedata

from PIL import Image, ImageDraw

from training.synth.documents.layouts.context import DocContext
from training.synth.documents.page import Page, TextOp
from training.synth.documents.scan import degrade, draw_text, encode_jpeg
from training.synth.documents.text import format_date, to_pdf_text

_ALPHA3 = {
    "US": "USA", "GB": "GBR", "DE": "DEU", "NL": "NLD", "FR": "FRA", "AU": "AUS", "CA": "CAN",
    "IE": "IRL", "ES": "ESP", "IT": "ITA", "AT": "AUT", "BE": "BEL", "CH": "CHE", "PT": "PRT",
    "NZ": "NZL", "SG": "SGP", "SE": "SWE", "DK": "DNK", "PL": "POL", "LU": "LUX", "JP": "JPN",
}  # fmt: skip
_YEAR = 31_556_952
PX_PER_PT = 2.0


def _names(ctx: DocContext) -> tuple[str, str]:
    parts = to_pdf_text(ctx.identity.representative).split(" ")
    return parts[-1], " ".join(parts[:-1])


def _mrz_field(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    clean = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    return "".join(c if "A" <= c <= "Z" or c.isdigit() else "<" for c in clean)


def check_digit(field: str) -> str:
    """ICAO 9303 check digit (weights 7, 3, 1)."""
    values = {c: i for i, c in enumerate("0123456789")} | {chr(65 + i): 10 + i for i in range(26)}
    total = sum(values.get(c, 0) * (7, 3, 1)[i % 3] for i, c in enumerate(field))
    return str(total % 10)


def mrz(ctx: DocContext, number: str, birth: int, expiry: int) -> tuple[str, str]:
    """The two 44-character machine-readable lines of a passport data page."""
    surname, given = _names(ctx)
    nation = _ALPHA3.get(ctx.country, ctx.country + "X")
    line1 = f"P<{nation}{_mrz_field(surname)}<<{_mrz_field(given)}".ljust(44, "<")[:44]
    dob, exp = format_date(birth, "iso")[2:].replace("-", ""), format_date(expiry, "iso")
    exp = exp[2:].replace("-", "")
    doc = number.ljust(9, "<")[:9]
    line2 = f"{doc}{check_digit(doc)}{nation}{dob}{check_digit(dob)}X{exp}{check_digit(exp)}"
    return line1, line2.ljust(43, "<") + check_digit(line2.ljust(43, "<"))


def _card(
    ctx: DocContext,
    size_pt: tuple[float, float],
    title: str,
    tint: tuple[int, int, int],
    fields: list[tuple[str, str]],
    mrz_lines: tuple[str, ...] = (),
    name_field: int = 0,
) -> Page:
    rng = ctx.rng("identity-scan")
    w, h = round(size_pt[0] * PX_PER_PT), round(size_pt[1] * PX_PER_PT)
    img = Image.new("RGB", (w, h), tint)
    draw = ImageDraw.Draw(img)
    ink = (rng.randint(10, 40), rng.randint(10, 40), rng.randint(30, 70))
    draw.rectangle([0, 0, w - 1, round(h * 0.16)], fill=tuple(c - 40 for c in tint))
    draw_text(draw, 14, 6, title, h * 0.09, (255, 255, 255), bold=True)
    photo = (16, round(h * 0.22), 16 + round(w * 0.27), round(h * 0.22) + round(w * 0.34))
    draw.rectangle(photo, fill=(200, 200, 205))
    cx, top = (photo[0] + photo[2]) // 2, photo[1]
    draw.ellipse([cx - 28, top + 18, cx + 28, top + 82], fill=(120, 110, 105))
    draw.ellipse([cx - 60, top + 90, cx + 60, photo[3] + 60], fill=(90, 90, 110))
    draw.rectangle([0, photo[3], photo[2] + 20, h], fill=tint)
    x, y = photo[2] + 24, h * 0.2
    step = (h * (0.62 if mrz_lines else 0.78)) / max(len(fields), 1)
    for label, value in fields:
        draw_text(draw, x, y, label.upper(), 11, (90, 90, 90))
        draw_text(draw, x, y + 12, value, 15, ink, bold=True)
        y += step
    for i, line in enumerate(mrz_lines):
        draw_text(draw, 14, h - 24 * (len(mrz_lines) - i) - 6, line, 16, (0, 0, 0))
    draw.line([(photo[0], photo[3] - 4), (photo[2], photo[3] - 10)], fill=ink, width=2)
    scan = encode_jpeg(degrade(img, rng), rng.randint(60, 85))
    sheet = ctx.sheet("helvetica")
    left, top_pt = 56.0 + rng.uniform(0, 20), 56.0 + rng.uniform(0, 20)
    sheet.image(left, top_pt, size_pt[0], size_pt[1], scan)
    surname, given = _names(ctx)
    name_y = top_pt + (round(h * 0.2) + name_field * step + 12 + 13) / PX_PER_PT
    overlay = TextOp(left + (photo[2] + 24) / PX_PER_PT, name_y, "Helvetica-Bold", 6.5, surname)
    return Page(sheet.width, sheet.height, tuple(sheet.ops), None, overlay)


def _dates(ctx: DocContext) -> tuple[int, int, str]:
    rng = ctx.rng("identity-dates")
    birth = ctx.issued_on - rng.randint(22 * _YEAR, 68 * _YEAR)
    issued = ctx.issued_on - rng.randint(0, 8 * _YEAR)
    return birth, issued + 10 * _YEAR, ctx.reference("identity-number", "A99999999")


def _id_card(ctx: DocContext) -> tuple[Page, ...]:
    birth, expiry, number = _dates(ctx)
    surname, given = _names(ctx)
    fields = [
        ("Surname", surname),
        ("Given names", given),
        ("Nationality", ctx.country_name),
        ("Date of birth", ctx.date(birth, "dmy_dot")),
        ("Document no.", number),
        ("Date of expiry", ctx.date(expiry, "dmy_dot")),
    ]
    title = f"{ctx.country_name.upper()} - IDENTITY CARD"
    return (_card(ctx, (243.0, 153.0), title, (214, 228, 236), fields),)


def _passport(ctx: DocContext) -> tuple[Page, ...]:
    birth, expiry, number = _dates(ctx)
    surname, given = _names(ctx)
    fields = [
        ("Type / Code", f"P  {_ALPHA3.get(ctx.country, ctx.country)}"),
        ("Passport no.", number),
        ("Surname", surname),
        ("Given names", given),
        ("Date of birth", ctx.date(birth, "dmy_long")),
        ("Date of expiry", ctx.date(expiry, "dmy_long")),
    ]
    lines = mrz(ctx, number, birth, expiry)
    title = f"PASSPORT - {ctx.country_name.upper()}"
    return (_card(ctx, (354.0, 250.0), title, (236, 226, 214), fields, lines, 2),)


def _driving_licence(ctx: DocContext) -> tuple[Page, ...]:
    birth, expiry, number = _dates(ctx)
    surname, given = _names(ctx)
    fields = [
        ("1.", surname),
        ("2.", given),
        ("3.", ctx.date(birth, "dmy_slash")),
        ("4b.", ctx.date(expiry, "dmy_slash")),
        ("5.", number),
        ("9.", "B"),
    ]
    title = f"DRIVING LICENCE  {ctx.country}"
    return (_card(ctx, (243.0, 153.0), title, (232, 222, 236), fields),)


LAYOUTS = (_id_card, _passport, _driving_licence)
