"""Pages as plain drawing operations, and the builder layouts use to place text, rules and boxes.

Coordinates are points with y measured down from the top edge (text y is the baseline); the PDF
and raster writers convert. Every string is made printable (`to_pdf_text`) on the way in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from reportlab.pdfbase import pdfmetrics

from training.synth.documents.text import to_pdf_text

FAMILIES = {
    "helvetica": {"regular": "Helvetica", "bold": "Helvetica-Bold", "italic": "Helvetica-Oblique"},
    "times": {"regular": "Times-Roman", "bold": "Times-Bold", "italic": "Times-Italic"},
    "courier": {"regular": "Courier", "bold": "Courier-Bold", "italic": "Courier-Oblique"},
}


class TextOp(NamedTuple):
    x: float
    y: float
    font: str  # a base-14 font name
    size: float
    text: str  # already printable
    mark: str | None = None  # marked-content tag an editor wrapped the text in


class LineOp(NamedTuple):
    x1: float
    y1: float
    x2: float
    y2: float
    width: float


class RectOp(NamedTuple):
    x: float
    y: float  # top edge
    w: float
    h: float
    fill: float | None  # gray level, None for outline only
    stroke: float  # line width, 0 for none


@dataclass(frozen=True)
class RasterImage:
    """An encoded image ready to embed as an image XObject."""

    data: bytes
    width: int
    height: int
    colorspace: str  # DeviceGray or DeviceRGB
    filter: str  # DCTDecode


class ImageOp(NamedTuple):
    x: float
    y: float  # top edge
    w: float
    h: float
    image: RasterImage


Op = TextOp | LineOp | RectOp | ImageOp


@dataclass(frozen=True)
class Page:
    """One page: its size, its operations and which text op a forger would edit (if any)."""

    width: float
    height: float
    ops: tuple[Op, ...]
    target: int | None = None  # index into ops of the editable field (name or amount)
    # On image-only pages: where the editable field sits, for an editor typing over the scan.
    overlay: TextOp | None = None


@lru_cache(maxsize=32)
def _widths(font: str) -> tuple[int, ...]:
    return tuple(pdfmetrics.getFont(font).widths)


def text_width(text: str, font: str, size: float) -> float:
    """Advance width of printable `text` in a base-14 font, in points."""
    widths = _widths(font)
    return sum(widths[b] for b in text.encode("cp1252")) * size / 1000.0


def wrap_text(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Greedy word wrap; words longer than a line are broken between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, font, size) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while len(current) > 1 and text_width(current, font, size) > max_width:
            cut = len(current) - 1
            while cut > 1 and text_width(current[:cut], font, size) > max_width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current or not lines:
        lines.append(current)
    return lines


@dataclass
class Sheet:
    """Mutable builder for one page; `page()` freezes it."""

    width: float
    height: float
    family: str = "helvetica"
    ops: list[Op] = field(default_factory=list)
    target: int | None = None

    def font(self, style: str = "regular") -> str:
        """The base font of this sheet's family for a style (regular, bold, italic)."""
        return FAMILIES[self.family][style]

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 10,
        style: str = "regular",
        *,
        align: str = "left",
        target: bool = False,
    ) -> float:
        """Place one line; returns its width. `target` marks the field a forger would edit."""
        shown = to_pdf_text(text)
        font = self.font(style)
        width = text_width(shown, font, size)
        if align == "right":
            x -= width
        elif align == "center":
            x -= width / 2
        if target:
            self.target = len(self.ops)
        self.ops.append(TextOp(round(x, 2), y, font, size, shown))
        return width

    def para(
        self,
        x: float,
        y: float,
        text: str,
        max_width: float,
        size: float = 10,
        style: str = "regular",
        leading: float | None = None,
        *,
        target: bool = False,
        align: str = "left",
    ) -> float:
        """Wrap `text` into lines from baseline y; returns the baseline after the last line."""
        leading = leading or size * 1.3
        lines = wrap_text(to_pdf_text(text), self.font(style), size, max_width)
        for i, line in enumerate(lines):
            anchor = x + max_width / 2 if align == "center" else x
            self.text(anchor, y, line, size, style, align=align, target=target and i == 0)
            y += leading
        return y

    def rows(
        self,
        x: float,
        y: float,
        pairs: list[tuple[str, str]],
        label_width: float,
        value_width: float,
        size: float = 10,
        *,
        label_style: str = "bold",
        target_label: str | None = None,
        rule: bool = False,
    ) -> float:
        """A label/value table; long values wrap under themselves. Returns the next baseline."""
        leading = size * 1.45
        label_font = self.font(label_style)
        widest = max(
            (text_width(to_pdf_text(label), label_font, size) for label, _ in pairs), default=0.0
        )
        if widest + 10 > label_width:  # long labels push the values right rather than overlap
            value_width -= widest + 10 - label_width
            label_width = widest + 10
        for label, value in pairs:
            self.text(x, y, label, size, label_style)
            y_next = self.para(
                x + label_width,
                y,
                value,
                value_width,
                size,
                target=label == target_label,
                leading=leading,
            )
            if rule:
                self.line(
                    x,
                    y_next - leading + size * 0.45,
                    x + label_width + value_width,
                    y_next - leading + size * 0.45,
                    0.3,
                )
            y = y_next + size * 0.25
        return y

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.5) -> None:
        """A straight rule."""
        self.ops.append(LineOp(x1, y1, x2, y2, width))

    def box(
        self, x: float, y: float, w: float, h: float, fill: float | None = None, stroke: float = 0.5
    ) -> None:
        """A rectangle with its top-left corner at (x, y)."""
        self.ops.append(RectOp(x, y, w, h, fill, stroke))

    def image(self, x: float, y: float, w: float, h: float, image: RasterImage) -> None:
        """Place an encoded image with its top-left corner at (x, y)."""
        self.ops.append(ImageOp(x, y, w, h, image))

    def page(self) -> Page:
        """The finished page."""
        return Page(self.width, self.height, tuple(self.ops), self.target)
