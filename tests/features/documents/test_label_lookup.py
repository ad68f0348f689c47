"""Label lookups find every label inside a cell, wherever the document's text puts it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

from pdf_builders import draw_pdf, row

from features.documents import ParseLimits, labels
from features.documents.identifiers import parse_name
from features.documents.layout import Line, PageLayout, Span
from features.documents.parse import parse_in_process
from features.documents.text_view import DocumentText


def page(*rows: tuple[tuple[float, str], ...]) -> PageLayout:
    """A page whose rows are (x, text) runs 20 points apart, top down; runs far apart are cells."""
    lines = tuple(
        Line(
            800.0 - 20.0 * number,
            tuple(
                Span(x, x + 6.0 * len(text), 800.0 - 20.0 * number, 10.0, "helvetica", False, text)
                for x, text in runs
            ),
        )
        for number, runs in enumerate(rows)
    )
    chars = sum(len(span.text) for line in lines for span in line.spans)
    return PageLayout(595.0, 842.0, lines, chars, 0.0, 0.0)


def every_cell_hit(doc: DocumentText, label: re.Pattern[str]) -> Iterator[int]:
    """The lookup's definition: the line of every match in every cell, in reading order."""
    for index, placed in enumerate(doc.lines):
        for cell in placed.line.cells:
            for _ in label.finditer(cell.text):
                yield index


DOCUMENT = DocumentText(
    [
        page(
            ((60.0, "Company"), (300.0, "name")),  # the label's words in two cells: no label
            ((60.0, "Invoice 2024-113"),),
            ((60.0, "Registered office address"), (300.0, "Customer")),
            ((60.0, "Company name: Acme Widgets Ltd"),),
        ),
        page(
            ((60.0, "Account holder"), (300.0, "Tax ID")),
            ((60.0, "Globex GmbH"), (300.0, "DE123456789")),
            ((60.0, "Closing balance 1,204.50"),),
            ((60.0, "Date"), (300.0, "03/02/2024")),
        ),
    ]
)


def test_a_label_split_over_two_cells_is_skipped_and_the_next_one_is_found() -> None:
    assert [hit.index for hit in DOCUMENT.label_hits(labels.NAME)] == [3]
    assert DOCUMENT.find(labels.NAME, parse_name) == "Acme Widgets Ltd"


def test_lookups_agree_with_searching_every_cell_for_every_label() -> None:
    for label in (*labels.ANY_LABEL, labels.SURNAME, labels.GIVEN_NAMES, labels.BARE_DATE):
        expected = list(every_cell_hit(DOCUMENT, label))
        assert [hit.index for hit in DOCUMENT.label_hits(label)] == expected, label.pattern
    assert [hit.index for hit in DOCUMENT.label_hits(labels.BARE_DATE)] == [7]


def test_a_label_asked_for_twice_gives_the_same_hits() -> None:
    first = [hit.index for hit in DOCUMENT.label_hits(labels.HOLDER)]
    assert first == [2, 4]
    assert [hit.index for hit in DOCUMENT.label_hits(labels.HOLDER)] == first
    assert DOCUMENT.find(labels.HOLDER, parse_name) == "Globex GmbH"


def test_a_document_without_the_label_has_no_hits() -> None:
    assert list(DOCUMENT.label_hits(labels.OPENING_BALANCE)) == []
    assert list(DocumentText([]).label_hits(labels.NAME)) == []


def test_a_cell_holding_only_date_labels_the_date_beside_it() -> None:
    doc = DocumentText(
        [page(((60.0, "Northwind Analytics Ltd"),), ((60.0, "Date"), (300.0, "03/02/2024")))]
    )
    assert [hit.index for hit in doc.label_hits(labels.BARE_DATE)] == [1]


def test_the_bare_date_is_the_issue_date_before_any_later_date() -> None:
    data = draw_pdf(
        [
            row("Northwind Analytics Ltd"),
            row((60.0, "Date"), (300.0, "03/02/2024")),
            row("Contract term ends 31/12/2026"),
        ]
    )
    evidence = parse_in_process(data, ParseLimits())
    assert evidence.issued_on == int(datetime(2024, 2, 3, tzinfo=UTC).timestamp())
