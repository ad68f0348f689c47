"""A document's lines in reading order, and the lookup of a value next to or under its label."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from features.documents.layout import Cell, Line, PageLayout

T = TypeVar("T")
_LEADING_NOISE = re.compile(
    r"^[\s,:：#.\-–—=>|]*(?:\([^()]{1,24}\))?[\s,:：#.\-–—=>|]*"
    r"(?:(?:num[ée]ro|number|nummer|n[°º]|no\.?|nr\.?)(?![\w])[\s:：#.]*)?",
    re.I,
)
_ROWS_BELOW = 3
_QUALIFIER = re.compile(r"^\W*(?:[^\s\w]*[A-Z0-9][^\s]*\W*){0,2}$|\d{1,4}[./-]\d{1,2}[./-]\d{2,4}")


@dataclass(frozen=True)
class PlacedLine:
    """A line with its page and how far down that page it sits (0 top, 1 bottom)."""

    page: int
    depth: float
    line: Line

    @property
    def text(self) -> str:
        return self.line.text


@dataclass(frozen=True)
class LabelHit:
    """A label found in one cell, and the text candidates that may hold its value."""

    index: int
    cell: Cell
    rest: str  # the label's cell after the label itself
    beside: tuple[str, ...]  # that rest and the next cell on the line
    below: tuple[str, ...]  # cells under the label in its column


class DocumentText:
    """All lines of a document, top to bottom and page by page, with label lookups."""

    def __init__(self, pages: Sequence[PageLayout]) -> None:
        self.lines: tuple[PlacedLine, ...] = tuple(
            PlacedLine(number, 1.0 - line.y / page.height if page.height else 0.0, line)
            for number, page in enumerate(pages)
            for line in page.lines
        )
        self.text = "\n".join(line.text for line in self.lines)
        # Where each line ends in `text`: the offset of the newline after it.
        self._line_ends: list[int] = []
        end = -1
        for placed in self.lines:
            end += len(placed.text) + 1
            self._line_ends.append(end)
        self._first: dict[re.Pattern[str], re.Match[str] | None] = {}

    def label_hits(self, label: re.Pattern[str]) -> Iterator[LabelHit]:
        """Each place `label` occurs, with the value text beside it, then the text under it."""
        for index in self._lines_to_search(label):
            placed = self.lines[index]
            cells = placed.line.cells
            for position, cell in enumerate(cells):
                for match in label.finditer(cell.text):
                    rest = _LEADING_NOISE.sub("", cell.text[match.end() :])
                    beside = (rest, *(c.text for c in cells[position + 1 : position + 2]))
                    below = tuple(c.text for c in self.column_below(index, cell, _ROWS_BELOW))
                    yield LabelHit(index, cell, rest, tuple(t for t in beside if t), below)

    def find(
        self,
        label: re.Pattern[str],
        parse: Callable[[str], T | None],
        *,
        skip: re.Pattern[str] | None = None,
        below: bool = True,
    ) -> T | None:
        """The first value that `parse` accepts next to (or, if `below`, under) a `label`."""
        for hit in self.label_hits(label):
            if skip is not None and skip.search(hit.cell.text):
                continue
            # Text after the label in its own cell is the value, or a qualifier such as
            # "vom 28.02.2025" before the value in the next cell; other words make it a
            # heading ("Registre du Commerce et des Sociétés"), whose neighbours are not its value.
            if not hit.rest:
                candidates = hit.beside + (hit.below if below else ())
            elif _QUALIFIER.search(hit.rest):
                candidates = hit.beside
            else:
                candidates = (hit.rest,)
            for candidate in candidates:
                value = parse(candidate)
                if value is not None:
                    return value
        return None

    def _lines_to_search(self, label: re.Pattern[str]) -> Iterator[int]:
        """The lines that may hold `label` in one of their cells, in reading order.

        A match inside a cell is also a match at the same place in `text` (cells and lines are
        joined by tabs and newlines, which no word touches), so a line ending before the next
        match in `text` holds none, and its cells need no search. A label anchored to the start
        of its cell (`^Date:?$`) matches cells, not the joined text: every line is searched.
        """
        if label.pattern.startswith("^"):
            yield from range(len(self.lines))
            return
        if label not in self._first:
            self._first[label] = label.search(self.text)
        found = self._first[label]
        start = 0
        for index, end in enumerate(self._line_ends):
            if found is not None and found.start() < start:
                found = label.search(self.text, start)
            if found is None:
                return
            if found.start() < end:
                yield index
            start = end + 1

    def column_below(self, index: int, cell: Cell, rows: int) -> list[Cell]:
        """Cells under `cell` in the same column on the next `rows` lines of the page."""
        anchor = self.lines[index]
        found: list[Cell] = []
        previous_y = anchor.line.y
        for placed in self.lines[index + 1 : index + 1 + rows]:
            if placed.page != anchor.page or previous_y - placed.line.y > 3 * placed.line.size:
                break
            overlapping = [c for c in placed.line.cells if _under(c, cell, anchor.line.size)]
            if not overlapping:
                break
            found.append(overlapping[0])
            previous_y = placed.line.y
        return found


def _under(cell: Cell, anchor: Cell, size: float) -> bool:
    """Whether `cell` sits in `anchor`'s column: overlapping it, or right-aligned just past it."""
    return cell.x0 <= anchor.x1 + 4.0 * size and cell.x1 >= anchor.x0 - 4.0
