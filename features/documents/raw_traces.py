"""Forensic traces read straight from a PDF's bytes: revisions, trailer IDs, XMP, TouchUp edits.

These survive whatever the page content says, so they are read without a PDF library: a regex
pass over the file plus a bounded, streaming inflate of its compressed non-image streams.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

_STARTXREF = re.compile(rb"startxref\s+\d+")
_LINEARIZED = re.compile(rb"/Linearized\b")
_ENCRYPT = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_STRING = rb"(<[0-9A-Fa-f\s]*>|\((?:[^()\\]|\\.)*\))"
_TRAILER_ID = re.compile(rb"/ID\s*\[\s*" + _STRING + rb"\s*" + _STRING + rb"\s*\]")
_STREAM_START = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_OBJECT_SYNTAX = re.compile(rb"\bobj\b|\bendobj\b|\bxref\b|\btrailer\b|\bstream\b")
_XMP_PACKET = re.compile(rb"<x:xmpmeta\b.*?</x:xmpmeta>|<rdf:RDF\b.*?</rdf:RDF>", re.S)
_TOUCHUP = b"TouchUp_TextEdit"
_CHUNK = 1 << 20
_MAX_XMP = 1 << 20


@dataclass(frozen=True)
class RawTraces:
    """What the byte-level pass saw; `decoded_overflow` means streams inflate past the budget."""

    revisions: int
    linearized: bool
    encrypted: bool
    truncated: bool
    trailer_ids: tuple[tuple[bytes, bytes], ...]
    xmp: bytes | None
    touchup_text_edit: bool
    decoded_overflow: bool

    @property
    def incremental_updates(self) -> int:
        """Revisions appended after the first save; a linearized file's extra section is no edit."""
        extra = 1 if self.linearized and self.revisions >= 2 else 0
        return max(0, self.revisions - 1 - extra)

    @property
    def trailer_id_mismatch(self) -> bool | None:
        """True when the newest /ID pair differs or the permanent ID changed between revisions."""
        if not self.trailer_ids:
            return None
        first, last = self.trailer_ids[-1]
        permanent = {pair[0] for pair in self.trailer_ids}
        return first != last or len(permanent) > 1


def read_raw_traces(data: bytes, *, decode_budget: int) -> RawTraces:
    """Scan `data` for structural traces, inflating at most `decode_budget` bytes of streams."""
    head = data[:2048]
    last_eof = data.rfind(b"%%EOF")
    truncated = last_eof < 0 or bool(_OBJECT_SYNTAX.search(data, last_eof + 5))
    touchup = _TOUCHUP in data
    xmp_packets = [m.group(0) for m in _XMP_PACKET.finditer(data)]
    overflow = False
    budget = decode_budget
    for header, body in _flate_streams(data):
        is_xml = b"/Metadata" in header or b"/XML" in header
        found, used, xml = _inflate_scan(body, budget, keep=is_xml)
        budget -= used
        touchup = touchup or found
        if xml is not None:
            xmp_packets.extend(m.group(0) for m in _XMP_PACKET.finditer(xml))
        if budget <= 0:
            overflow = True
            break
    return RawTraces(
        revisions=max(1, len(_STARTXREF.findall(data))),
        linearized=bool(_LINEARIZED.search(head)),
        encrypted=bool(_ENCRYPT.search(data)),
        truncated=truncated,
        trailer_ids=tuple(
            (_string_bytes(a), _string_bytes(b)) for a, b in _TRAILER_ID.findall(data)
        ),
        xmp=xmp_packets[-1] if xmp_packets else None,
        touchup_text_edit=touchup,
        decoded_overflow=overflow,
    )


def _flate_streams(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """Yield (dictionary, raw body) of every Flate-only stream that is not an image."""
    for match in _STREAM_START.finditer(data):
        body_start = match.end()
        obj_at = data.rfind(b"obj", max(0, match.start() - 4096), match.start())
        header = data[obj_at if obj_at >= 0 else max(0, match.start() - 512) : match.start()]
        end = data.find(b"endstream", body_start)
        if end < 0:
            end = len(data)
        if b"/FlateDecode" not in header and b"/Fl " not in header and b"/Fl]" not in header:
            continue
        if b"/Image" in header or b"DCTDecode" in header or b"JPXDecode" in header:
            continue
        yield header, data[body_start:end]


def _inflate_scan(body: bytes, budget: int, *, keep: bool) -> tuple[bool, int, bytes | None]:
    """Inflate `body` chunk by chunk, looking for the TouchUp marker without holding it all."""
    inflater = zlib.decompressobj()
    used = 0
    tail = b""
    kept: list[bytes] = []
    pending = body
    try:
        while pending and used < budget:
            chunk = inflater.decompress(pending, min(_CHUNK, budget - used))
            pending = inflater.unconsumed_tail
            used += len(chunk)
            window = tail + chunk
            if _TOUCHUP in window:
                return True, used, None
            tail = window[-len(_TOUCHUP) :]
            if keep and used <= _MAX_XMP:
                kept.append(chunk)
            if not chunk:
                break
    except zlib.error:
        pass
    return False, used, b"".join(kept) if keep else None


def _string_bytes(token: bytes) -> bytes:
    """Decode a PDF hex or literal string token to comparable bytes."""
    if token.startswith(b"<"):
        digits = re.sub(rb"\s", b"", token[1:-1])
        if len(digits) % 2:
            digits += b"0"
        try:
            return bytes.fromhex(digits.decode("ascii"))
        except ValueError:
            return digits
    return token[1:-1]
