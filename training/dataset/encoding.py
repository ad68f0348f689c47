"""Find where a contract text file stops being UTF-8, to name the row and column in the error.

The CSV readers report a bad byte by its offset in the file or in a block (pyarrow) and
json's reader by its offset in a line, none of which a person can act on. These helpers are
called only after a reader has failed, so valid files are never read twice.
"""

from __future__ import annotations

import csv
from pathlib import Path

from training.dataset.errors import DatasetError

_ESCAPED = range(0xDC80, 0xDD00)  # how "surrogateescape" carries undecodable bytes


def undecodable(line: bytes) -> UnicodeDecodeError | None:
    """The UTF-8 decoding error of one line, or None when it decodes."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc
    return None


def describe(exc: UnicodeDecodeError) -> str:
    """`not UTF-8 (byte 0xe9, byte 12 of the line)`: what a person can look for."""
    bad = exc.object[exc.start : exc.start + 1]
    return f"not UTF-8 (byte 0x{bad.hex()}, byte {exc.start + 1} of the line); save it as UTF-8"


def _column(header: bytes, line: bytes) -> str | None:
    """The header name of the field of `line` that holds its first undecodable byte."""
    names = next(csv.reader([header.decode("utf-8", errors="replace").rstrip("\r\n")]), [])
    fields = next(csv.reader([line.decode("utf-8", errors="surrogateescape").rstrip("\r\n")]), [])
    for index, field in enumerate(fields):
        if any(ord(ch) in _ESCAPED for ch in field):
            return names[index] if index < len(names) else None
    return None


def csv_encoding_error(path: Path) -> DatasetError | None:
    """A DatasetError naming the first line of a CSV file that is not UTF-8 (its data row, the
    header not counted, and its column), or None when the whole file decodes.

    Rows are counted as lines: a quoted field spanning lines would shift the count, which the
    contract's files do not have.
    """
    with path.open("rb") as lines:
        header = lines.readline()
        problem = undecodable(header)
        if problem is not None:
            return DatasetError(path.name, f"header row {describe(problem)}")
        for row, line in enumerate(lines, start=1):
            problem = undecodable(line)
            if problem is not None:
                return DatasetError(
                    path.name, describe(problem), row=row, column=_column(header, line)
                )
    return None
