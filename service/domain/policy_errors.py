"""What is wrong with a policy file: issues located by field path and, once known, by YAML line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class PolicyIssue:
    """One problem: the field path it concerns, a message, and the line once mapped."""

    loc: Loc
    message: str
    line: int | None = None

    @property
    def path(self) -> str:
        """The field path as written in docs and errors, e.g. `bands[2].min_score`."""
        text = ""
        for part in self.loc:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text or "(top level)"

    def located(self, line: int) -> PolicyIssue:
        """The same issue attached to a line of the source file."""
        return replace(self, line=line)

    def format(self, source: str) -> str:
        """`FILE:LINE: field.path: message` (LINE is omitted when unknown)."""
        where = f"{source}:{self.line}" if self.line is not None else source
        return f"{where}: {self.path}: {self.message}"


class PolicyError(Exception):
    """A policy that cannot be used; carries every issue found, in file order when located.

    Raised as a plain Exception (not ValueError) so that, raised from a pydantic model
    validator, it keeps its located issues instead of being folded into one anonymous error.
    """

    def __init__(self, issues: Sequence[PolicyIssue], source: str = "<policy>") -> None:
        self.issues = tuple(sorted(issues, key=lambda i: (i.line is None, i.line or 0)))
        self.source = source
        super().__init__(self.report())

    def report(self) -> str:
        """All issues, one `FILE:LINE: path: message` per line."""
        return "\n".join(issue.format(self.source) for issue in self.issues)
