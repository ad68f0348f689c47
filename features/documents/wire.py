"""The byte format between the caller and a parser process: a job out, evidence back.

Plain length-prefixed JSON and raw bytes, never pickle: a worker parses hostile files, so what
it sends back is validated data, not objects the caller would execute while loading.
"""

from __future__ import annotations

import functools
import json
import struct
from dataclasses import asdict, fields
from typing import IO, Any

from features.documents.evidence import (
    DOCUMENT_KINDS,
    ERROR_REASONS,
    PRODUCER_CLASSES,
    DocumentEvidence,
    ParseLimits,
)

READY = b"ready"  # a worker's first frame, once it can take jobs
_LENGTH = struct.Struct(">Q")
_MAX_REPLY = 1 << 20
_MAX_TEXT = 1000
_FIELD_TYPES = {field.name: field.type for field in fields(DocumentEvidence)}


class WireError(Exception):
    """The other side sent something that is not a well-formed message."""


def write_frame(stream: IO[bytes], payload: bytes) -> None:
    """Write one length-prefixed frame and flush it."""
    stream.write(_LENGTH.pack(len(payload)) + payload)
    stream.flush()


def read_frame(stream: IO[bytes], limit: int) -> bytes | None:
    """Read one frame; None at a clean end of stream. Raises WireError past `limit` bytes."""
    head = _read_exactly(stream, _LENGTH.size)
    if head is None:
        return None
    (length,) = _LENGTH.unpack(head)
    if length > limit:
        raise WireError(f"frame of {length} bytes exceeds {limit}")
    body = _read_exactly(stream, length)
    if body is None:
        raise WireError("stream ended inside a frame")
    return body


@functools.lru_cache(maxsize=16)  # one header per distinct limits, not one per file
def encode_job(limits: ParseLimits) -> bytes:
    """The job header: the limits the worker must apply (the file follows as its own frame)."""
    return json.dumps(asdict(limits)).encode()


def decode_job(header: bytes) -> ParseLimits:
    """Rebuild the limits a job header carries."""
    return ParseLimits(**json.loads(header))


def encode_evidence(evidence: DocumentEvidence) -> bytes:
    """Evidence as JSON (everything but the file hash, which the caller computes itself)."""
    body = dict(vars(evidence))  # flat and immutable values: asdict's deep copy is wasted work
    body.pop("sha256")
    return json.dumps(body).encode()


def decode_evidence(payload: bytes, sha256: str, size_bytes: int) -> DocumentEvidence:
    """Validate a worker's reply and build evidence for the file the caller sent.

    Raises WireError when a field is unknown, of the wrong type or outside its vocabulary.
    """
    try:
        body = json.loads(payload)
    except ValueError as exc:
        raise WireError("reply is not JSON") from exc
    if not isinstance(body, dict):
        raise WireError("reply is not an object")
    values: dict[str, Any] = {"sha256": sha256, "size_bytes": size_bytes}
    for name, value in body.items():
        if name in ("sha256", "size_bytes"):
            continue
        if name not in _FIELD_TYPES:
            raise WireError(f"unknown field {name!r}")
        values[name] = _checked(name, value)
    return DocumentEvidence(**values)


def max_reply() -> int:
    """The largest reply a caller accepts from a worker."""
    return _MAX_REPLY


def _checked(name: str, value: Any) -> Any:
    vocabularies = {
        "error": ERROR_REASONS,
        "kind": DOCUMENT_KINDS,
        "producer_class": PRODUCER_CLASSES,
    }
    if name in vocabularies:
        if value is None and name == "error":
            return None
        if value not in vocabularies[name]:
            raise WireError(f"{name} {value!r} is not allowed")
        return value
    declared = str(_FIELD_TYPES[name])
    if value is None:
        if "None" not in declared:
            raise WireError(f"{name} may not be null")
        return None
    if declared.startswith("bool"):
        ok = isinstance(value, bool)
    elif declared.startswith("int"):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif declared.startswith("float"):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    else:
        ok = isinstance(value, str) and len(value) <= _MAX_TEXT
    if not ok:
        raise WireError(f"{name} has an unexpected value")
    return value


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            if remaining == size:
                return None
            raise WireError("stream ended inside a frame")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
