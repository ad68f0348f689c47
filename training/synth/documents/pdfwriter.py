"""Serialise pages to PDF objects: content streams, a classic xref table and incremental updates."""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from training.synth.documents.page import ImageOp, LineOp, Page, RectOp, TextOp

_ESCAPE = str.maketrans({"\\": "\\\\", "(": "\\(", ")": "\\)"})


def pdf_literal(text: str) -> str:
    """A PDF literal string: PDFDocEncoding-compatible text in parentheses, or UTF-16BE hex."""
    try:
        text.encode("latin-1")
        return f"({text.translate(_ESCAPE)})"
    except UnicodeEncodeError:
        return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _show(text: str) -> str:
    # Content strings are cp1252 bytes carried as latin-1 characters until the final encode.
    return text.encode("cp1252").decode("latin-1").translate(_ESCAPE)


def _mark_open(mark: str, mcid: int) -> str:
    if mark == "touchup":
        return f"/Span <</MCID {mcid}>> BDC\n/TouchUp_TextEdit MP\n"
    return f"/{mark} <</MCID {mcid}>> BDC\n"


def content_stream(page: Page, font_names: dict[str, str], image_names: dict[int, str]) -> bytes:
    """The page's drawing operators (uncompressed). `font_names` maps base font -> resource name."""
    h = page.height
    out: list[str] = []
    mcid = 0
    for op in page.ops:
        if type(op) is TextOp:
            show = (
                f"BT\n/{font_names[op.font]} {op.size:g} Tf\n{op.x:.2f} {h - op.y:.2f} Td\n"
                f"({_show(op.text)}) Tj\nET\n"
            )
            if op.mark:
                show = _mark_open(op.mark, mcid) + show + "EMC\n"
                mcid += 1
            out.append(show)
        elif type(op) is LineOp:
            path = f"{op.x1:.2f} {h - op.y1:.2f} m {op.x2:.2f} {h - op.y2:.2f} l"
            out.append(f"{op.width:g} w {path} S\n")
        elif type(op) is RectOp:
            rect = f"{op.x:.2f} {h - op.y - op.h:.2f} {op.w:.2f} {op.h:.2f} re"
            if op.fill is not None:
                paint = "B" if op.stroke else "f"
                out.append(f"q {op.fill:g} g {op.stroke:g} w {rect} {paint} Q\n")
            else:
                out.append(f"{op.stroke:g} w {rect} S\n")
        elif type(op) is ImageOp:
            name = image_names[id(op.image)]
            matrix = f"{op.w:.2f} 0 0 {op.h:.2f} {op.x:.2f} {h - op.y - op.h:.2f}"
            out.append(f"q {matrix} cm /{name} Do Q\n")
    return "".join(out).encode("latin-1")


def stream_object(data: bytes, extra: str = "", compress: bool = True) -> bytes:
    """A stream object body (dictionary + stream), Flate-compressed unless told otherwise."""
    if compress:
        data = zlib.compress(data, 6)
        extra = f"/Filter /FlateDecode {extra}"
    head = f"<< /Length {len(data)} {extra}>>\nstream\n".encode("latin-1")
    return head + data + b"\nendstream"


def pages_fonts(pages: Iterable[Page]) -> list[str]:
    """Base fonts used by the pages, in first-use order (stable, for resource names)."""
    seen: dict[str, None] = {}
    for page in pages:
        for op in page.ops:
            if type(op) is TextOp:
                seen.setdefault(op.font)
    return list(seen)


class ObjectTable:
    """Numbered object bodies; object numbers are handed out before bodies are known."""

    def __init__(self) -> None:
        self.bodies: dict[int, bytes] = {}
        self.count = 0

    def reserve(self) -> int:
        """A fresh object number."""
        self.count += 1
        return self.count

    def put(self, num: int, body: bytes | str) -> int:
        """Set an object's body; returns its number."""
        self.bodies[num] = body.encode("latin-1") if isinstance(body, str) else body
        return num

    def add(self, body: bytes | str) -> int:
        """Reserve a number and set its body at once."""
        return self.put(self.reserve(), body)


def _id_array(ids: tuple[bytes, bytes]) -> str:
    return f"[<{ids[0].hex().upper()}> <{ids[1].hex().upper()}>]"


def _xref_and_trailer(offsets: dict[int, int], trailer: str, xref_at: int, full: bool) -> bytes:
    lines = ["xref\n"]
    nums = sorted(offsets)
    if full:
        lines.append(f"0 {nums[-1] + 1}\n0000000000 65535 f \n")
        lines.extend(f"{offsets[n]:010d} 00000 n \n" for n in nums)
    else:
        lines.append("0 1\n0000000000 65535 f \n")
        for n in nums:  # one subsection per replaced object
            lines.append(f"{n} 1\n{offsets[n]:010d} 00000 n \n")
    lines.append(f"trailer\n<< {trailer} >>\nstartxref\n{xref_at}\n%%EOF\n")
    return "".join(lines).encode("latin-1")


def write_pdf(
    version: str, table: ObjectTable, root: int, info: int, ids: tuple[bytes, bytes]
) -> tuple[bytes, int]:
    """A complete one-revision PDF; returns its bytes and its xref offset."""
    parts = [f"%PDF-{version}\n".encode("latin-1"), b"%\xe2\xe3\xcf\xd3\n"]
    pos = sum(len(p) for p in parts)
    offsets: dict[int, int] = {}
    for num in sorted(table.bodies):
        offsets[num] = pos
        chunk = b"%d 0 obj\n%s\nendobj\n" % (num, table.bodies[num])
        parts.append(chunk)
        pos += len(chunk)
    trailer = f"/Size {table.count + 1} /Root {root} 0 R /Info {info} 0 R /ID {_id_array(ids)}"
    parts.append(_xref_and_trailer(offsets, trailer, pos, full=True))
    return b"".join(parts), pos


def append_update(
    data: bytes,
    prev_xref: int,
    changed: dict[int, bytes],
    size: int,
    root: int,
    info: int,
    ids: tuple[bytes, bytes],
) -> bytes:
    """Append an incremental update that redefines `changed` objects, as an editor's save does."""
    parts = [data]
    pos = len(data)
    offsets: dict[int, int] = {}
    for num in sorted(changed):
        offsets[num] = pos
        chunk = b"%d 0 obj\n%s\nendobj\n" % (num, changed[num])
        parts.append(chunk)
        pos += len(chunk)
    trailer = (
        f"/Size {size} /Root {root} 0 R /Info {info} 0 R /ID {_id_array(ids)} /Prev {prev_xref}"
    )
    parts.append(_xref_and_trailer(offsets, trailer, pos, full=False))
    return b"".join(parts)
