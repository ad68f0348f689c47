"""A page as positioned text runs and images, read through PDFium's C++ object model.

PDFium gives every text run its font, size and origin in a few C calls, roughly a hundred times
faster than interpreting the page in Python, so lines are rebuilt here from runs: reading order
follows the page, not the content stream, and each line knows which fonts set it.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import pypdfium2.raw as pdfium_c

from features.documents.fonts import font_family

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_FORM_DEPTH = 4
_MIN_TEXT_CHARS = 5
_SCAN_COVER = 0.05
_SCAN_MAX_TEXT = 120
# Reading one run's text scans the whole page's characters, so runs x characters is the cost;
# ten thousand runs is several times the densest real statement page.
_MAX_TEXT_RUNS = 10_000
_CONTROL = re.compile(r"[\r\n\x00-\x08\x0b-\x1f]")
_SPACES = re.compile(r"\s+")


class TooComplex(Exception):
    """The page holds more objects than the parse is allowed to walk."""


@dataclass(frozen=True)
class Span:
    """One run of text set in a single font: where it starts and ends, and its font."""

    x0: float
    x1: float
    y: float
    size: float
    family: str
    bold: bool
    text: str


@dataclass(frozen=True)
class Cell:
    """Adjacent runs of a line with no column gap between them."""

    text: str
    x0: float
    x1: float


@dataclass(frozen=True)
class Line:
    """Runs sharing a baseline, left to right; `text` joins its cells with a tab."""

    y: float
    spans: tuple[Span, ...]

    @cached_property
    def cells(self) -> tuple[Cell, ...]:
        groups: list[list[Span]] = []
        for span in self.spans:
            if groups:
                previous = groups[-1][-1]
                if span.x0 - previous.x1 <= 2.0 * max(span.size, previous.size):
                    groups[-1].append(span)
                    continue
            groups.append([span])
        return tuple(Cell(_join(group), group[0].x0, group[-1].x1) for group in groups)

    @cached_property
    def text(self) -> str:
        return "\t".join(cell.text for cell in self.cells)

    @cached_property
    def size(self) -> float:
        return max(span.size for span in self.spans)


def _join(spans: list[Span]) -> str:
    parts = [spans[0].text]
    for previous, span in zip(spans, spans[1:], strict=False):
        # A label set in bold right against its value still reads as two words.
        apart = span.x0 - previous.x1 > 0.15 * span.size or span.bold != previous.bold
        if apart and not parts[-1].endswith(" ") and not span.text.startswith(" "):
            parts.append(" ")
        parts.append(span.text)
    return _SPACES.sub(" ", "".join(parts)).strip()


@dataclass(frozen=True)
class PageLayout:
    """The page's lines top to bottom and what its images cover."""

    width: float
    height: float
    lines: tuple[Line, ...]
    text_chars: int
    image_cover: float  # share of the page area under image objects (capped at 1)
    image_aspect: float  # width / height of the largest image, 0 when there is none

    @property
    def image_only(self) -> bool:
        """A scan: images and no text layer."""
        return self.text_chars < _MIN_TEXT_CHARS and self.image_cover > 0.0

    @property
    def scan_like(self) -> bool:
        """Mostly picture: a scan, perhaps with a few words typed onto it."""
        return self.image_cover >= _SCAN_COVER and self.text_chars < _SCAN_MAX_TEXT

    @property
    def scan_overlay(self) -> bool:
        """A scan carrying a few typed words: how text on an image-only page gets changed."""
        return self.scan_like and self.text_chars >= _MIN_TEXT_CHARS


def read_page(pdf: object, index: int, object_budget: int) -> tuple[PageLayout, int]:
    """Read page `index` of a loaded PDFium document; returns the layout and objects walked.

    Raises TooComplex when the page alone would exceed `object_budget` objects.
    """
    page = pdfium_c.FPDF_LoadPage(pdf, index)
    if not page:
        raise ValueError(f"page {index} cannot be loaded")
    if pdfium_c.FPDFPage_CountObjects(page) > object_budget:
        pdfium_c.FPDF_ClosePage(page)
        raise TooComplex(f"page {index} has more than {object_budget} objects")
    textpage = pdfium_c.FPDFText_LoadPage(page)
    try:
        reader = _ObjectReader(textpage)
        image_area = 0.0
        largest = (0.0, 0.0)
        walked = 0
        for kind, obj, matrix in _walk(page, _IDENTITY, 0):
            walked += 1
            if walked > object_budget:
                raise TooComplex(f"page {index} has more than {object_budget} objects")
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                if len(reader.spans) >= _MAX_TEXT_RUNS:
                    raise TooComplex(f"page {index} has more than {_MAX_TEXT_RUNS} text runs")
                reader.add_text(obj, matrix)
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                x0, y0, x1, y1 = reader.bounds(obj, matrix)
                area = max(0.0, x1 - x0) * max(0.0, y1 - y0)
                image_area += area
                if area > largest[0] * largest[1]:
                    largest = (x1 - x0, y1 - y0)
        width = float(pdfium_c.FPDF_GetPageWidthF(page))
        height = float(pdfium_c.FPDF_GetPageHeightF(page))
        spans = reader.spans
        layout = PageLayout(
            width=width,
            height=height,
            lines=_group_lines(spans),
            text_chars=sum(len(span.text) - span.text.count(" ") for span in spans),
            image_cover=min(1.0, image_area / max(width * height, 1.0)),
            image_aspect=largest[0] / largest[1] if largest[1] > 0 else 0.0,
        )
        return layout, walked
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)
        pdfium_c.FPDF_ClosePage(page)


def _walk(container: object, matrix: Matrix, depth: int) -> Iterator[tuple[int, object, Matrix]]:
    in_form = depth > 0
    count = (
        pdfium_c.FPDFFormObj_CountObjects(container)
        if in_form
        else pdfium_c.FPDFPage_CountObjects(container)
    )
    for i in range(max(0, count)):
        obj = (
            pdfium_c.FPDFFormObj_GetObject(container, i)
            if in_form
            else pdfium_c.FPDFPage_GetObject(container, i)
        )
        if not obj:
            continue
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            if depth < _MAX_FORM_DEPTH:
                yield from _walk(obj, _compose(_matrix(obj), matrix), depth + 1)
            continue
        yield kind, obj, matrix


class _ObjectReader:
    """Collects spans from text objects, reusing one set of C buffers for every call."""

    def __init__(self, textpage: object) -> None:
        self.textpage = textpage
        self.spans: list[Span] = []
        self._fonts: dict[int, tuple[str, bool]] = {}
        self._size = ctypes.c_float()
        self._size_ref = ctypes.byref(self._size)
        self._box = tuple(ctypes.c_float() for _ in range(4))
        self._box_refs = tuple(ctypes.byref(value) for value in self._box)
        self._matrix = pdfium_c.FS_MATRIX()
        self._matrix_ref = ctypes.byref(self._matrix)
        self._resize(4096)

    def _resize(self, n_bytes: int) -> None:
        self._buffer = ctypes.create_string_buffer(n_bytes)
        self._wide = ctypes.cast(self._buffer, ctypes.POINTER(ctypes.c_ushort))

    def add_text(self, obj: object, matrix: Matrix) -> None:
        """Record one text object as a span (blank runs are skipped)."""
        n_bytes = pdfium_c.FPDFTextObj_GetText(obj, self.textpage, self._wide, len(self._buffer))
        if n_bytes > len(self._buffer):
            self._resize(n_bytes)
            n_bytes = pdfium_c.FPDFTextObj_GetText(obj, self.textpage, self._wide, n_bytes)
        if n_bytes <= 2:
            return
        # string_at copies just the text; `.raw` would copy the whole buffer first.
        text = ctypes.string_at(self._buffer, n_bytes - 2).decode("utf-16-le", errors="replace")
        text = _CONTROL.sub(" ", text)
        if not text.strip():
            return
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        style = self._fonts.get(key)
        if style is None:
            style = self._fonts[key] = font_family(_font_name(font))
        pdfium_c.FPDFTextObj_GetFontSize(obj, self._size_ref)
        size = abs(self._size.value)
        x0, _, x1, _ = self.bounds(obj, matrix)
        pdfium_c.FPDFPageObj_GetMatrix(obj, self._matrix_ref)
        origin_x, origin_y = self._matrix.e, self._matrix.f
        if matrix is not _IDENTITY:
            origin_y = _apply(matrix, origin_x, origin_y)[1]
            size *= abs(matrix[0] * matrix[3] - matrix[1] * matrix[2]) ** 0.5 or 1.0
        self.spans.append(Span(x0, x1, origin_y, size, style[0], style[1], text))

    def bounds(self, obj: object, matrix: Matrix) -> tuple[float, float, float, float]:
        """An object's box on the page, through any enclosing form's matrix."""
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *self._box_refs):
            return 0.0, 0.0, 0.0, 0.0
        box = self._box
        left, bottom, right, top = box[0].value, box[1].value, box[2].value, box[3].value
        if matrix is _IDENTITY:
            return left, bottom, right, top
        corners = [_apply(matrix, x, y) for x in (left, right) for y in (bottom, top)]
        xs = [x for x, _ in corners]
        ys = [y for _, y in corners]
        return min(xs), min(ys), max(xs), max(ys)


def _font_name(font: object) -> str:
    if not font:
        return ""
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    if size <= 1:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
    return buffer.value.decode("utf-8", errors="replace")


def _group_lines(spans: list[Span]) -> tuple[Line, ...]:
    """Cluster runs whose baselines lie within a third of their size, top line first."""
    ordered = sorted(spans, key=lambda span: (-span.y, span.x0))
    lines: list[list[Span]] = []
    for span in ordered:
        if lines:
            anchor = lines[-1][0]
            if abs(anchor.y - span.y) <= 0.35 * min(anchor.size, span.size):
                lines[-1].append(span)
                continue
        lines.append([span])
    return tuple(
        Line(y=group[0].y, spans=tuple(sorted(group, key=lambda span: span.x0))) for group in lines
    )


def _matrix(obj: object) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer  # noqa: N806 - matrix algebra reads better with PDF's letters
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f
