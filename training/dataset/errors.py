"""The one error a malformed dataset directory raises, naming the file, row and column."""

from __future__ import annotations


class DatasetError(ValueError):
    """A dataset directory breaks the data contract (DESIGN.md section 3).

    `row` is the 1-based data line (the header does not count; in accounts.jsonl, the line);
    `row` and `column` are None when the problem is with the whole file.
    """

    def __init__(
        self, file: str, message: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.file, self.row, self.column, self.reason = file, row, column, message
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}")
