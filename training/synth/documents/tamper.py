"""What editing a genuine document leaves on its pages: re-set glyphs, TouchUp marks, typed-over
scans, and the original content an incremental save keeps underneath."""

from __future__ import annotations

import random
from dataclasses import replace

from training.synth.documents.page import Page, RectOp, TextOp, text_width
from training.synth.plan import Identity

# A correction pasted from elsewhere rarely matches the document's font.
_OTHER_FONT = {
    "Helvetica": "Times-Roman", "Helvetica-Bold": "Times-Bold", "Helvetica-Oblique": "Times-Italic",
    "Times-Roman": "Helvetica", "Times-Bold": "Helvetica-Bold", "Times-Italic": "Helvetica",
    "Courier": "Helvetica", "Courier-Bold": "Helvetica-Bold", "Courier-Oblique": "Helvetica",
}  # fmt: skip
_ORIGINAL_NAMES = (
    "Northwind Trading",
    "Bluebird Services",
    "Harbor Lane Supplies",
    "Kestrel Logistics",
    "Aldgate Consulting",
    "Silverline Retail",
)


def _span(text: str, rng: random.Random) -> tuple[int, int]:
    """Glyphs inside one word (never its first), so the word ends up set in two fonts."""
    words, start = [], 0
    for part in text.split(" "):
        if len(part) >= 2:
            words.append((start, start + len(part)))
        start += len(part) + 1
    if not words:
        return 0, len(text)
    first, end = rng.choice(words)
    begin = rng.randint(first + 1, end - 1)
    return begin, min(end, begin + rng.randint(1, 3))


def mix_fonts(page: Page, rng: random.Random) -> Page:
    """Re-set a few glyphs of the target field in another font and size, as a pasted fix looks."""
    if page.target is None:
        return page
    op = page.ops[page.target]
    assert isinstance(op, TextOp)
    if not op.text.strip():
        return page
    begin, end = _span(op.text, rng)
    alt_font, alt_size = _OTHER_FONT[op.font], op.size + rng.choice((-1.0, -0.5, 0.5, 1.0))
    pieces = [
        (op.text[:begin], op.font, op.size),
        (op.text[begin:end], alt_font, alt_size),
        (op.text[end:], op.font, op.size),
    ]
    new: list[TextOp] = []
    x, target = op.x, page.target
    for i, (text, font, size) in enumerate(pieces):
        if not text:
            continue
        if i == 1:
            target = page.target + len(new)
        new.append(op._replace(x=round(x, 2), font=font, size=size, text=text))
        x += text_width(text, font, size)
    ops = page.ops[: page.target] + tuple(new) + page.ops[page.target + 1 :]
    return replace(page, ops=ops, target=target)


def touch_up(page: Page) -> Page:
    """Wrap the target field in the marked content Acrobat's TouchUp text tool writes."""
    if page.target is None:
        return page
    op = page.ops[page.target]
    assert isinstance(op, TextOp)
    ops = list(page.ops)
    ops[page.target] = op._replace(mark="touchup")
    return replace(page, ops=tuple(ops))


def type_over(page: Page) -> Page:
    """On an image-only page: a white box over the field and new text typed on top of it."""
    if page.overlay is None:
        return page
    op = page.overlay
    width = text_width(op.text, op.font, op.size)
    cover = RectOp(op.x - 1, op.y - op.size, width + 2, op.size * 1.3, 1.0, 0)
    return replace(page, ops=(*page.ops, cover, op), target=len(page.ops) + 1)


def original_identity(shown: Identity, rng: random.Random) -> Identity:
    """Who the genuine document was issued to before a forger changed the name."""
    words = shown.legal_name.split()
    suffix = f" {words[-1]}" if len(words) > 1 else ""
    name = rng.choice(_ORIGINAL_NAMES) + suffix
    if name == shown.legal_name:
        name += " Group"
    return replace(shown, legal_name=name)


def original_totals(totals: tuple[int, int, int], rng: random.Random) -> tuple[int, int, int]:
    """Genuine balances before a forger inflated the credits and the closing balance."""
    opening, closing, credits = totals
    genuine = credits * rng.randint(25, 75) // 100
    return opening, closing - (credits - genuine), genuine
