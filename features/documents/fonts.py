"""Typefaces on a line: reducing font names to families, and spotting a pasted correction."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from features.documents.layout import Line

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_VENDOR_SUFFIX = re.compile(r"(psmt|mt|ps|std|pro|lt)$")
_STYLE_SUFFIX = re.compile(
    r"(bold|italic|oblique|regular|light|medium|semibold|demibold|black|heavy|condensed|narrow"
    r"|roman|book|normal)+$"
)
_BOLD = re.compile(r"bold|black|heavy|demi", re.I)
_SYMBOL_FAMILIES = frozenset({"symbol", "zapfdingbats", "dingbats", "wingdings", "webdings"})


def font_family(base_name: str) -> tuple[str, bool]:
    """Reduce a PostScript font name to (family, bold): `ABCDEF+Arial-BoldMT` -> (`arial`, True)."""
    name = _SUBSET.sub("", base_name.strip())
    head = re.split(r"[-,_]", name, maxsplit=1)[0].lower().replace(" ", "")
    head = _VENDOR_SUFFIX.sub("", head)
    family = _STYLE_SUFFIX.sub("", head) or head
    family = _VENDOR_SUFFIX.sub("", family) or family
    return family, bool(_BOLD.search(name))


def mixed_font_line(line: Line) -> bool:
    """True when a line mixes typefaces, sizes within a word, or near-equal sizes.

    A bold label beside a regular value, or a heading beside small print, is ordinary layout;
    a second typeface, a font change inside a word, or a size off by a few percent is what
    pasting a correction over printed text leaves behind.
    """
    spans = [span for span in line.spans if span.family not in _SYMBOL_FAMILIES]
    if len({span.family for span in spans if span.family}) > 1:
        return True
    for left, right in zip(spans, spans[1:], strict=False):
        small, large = sorted((left.size, right.size))
        if small <= 0:
            continue
        if 1.02 < large / small < 1.1:
            return True
        joined = right.x0 - left.x1 < 0.1 * large
        glued = joined and not left.text.endswith(" ") and not right.text.startswith(" ")
        if glued and left.bold == right.bold and large / small > 1.02:
            return True
    return False
