"""What a parser process sends back is checked before it becomes evidence."""

from __future__ import annotations

import io
import json
import pickle

import pytest

from features.documents.evidence import DocumentEvidence, ParseLimits
from features.documents.wire import (
    WireError,
    decode_evidence,
    decode_job,
    encode_evidence,
    encode_job,
    read_frame,
    write_frame,
)

EVIDENCE = DocumentEvidence(
    sha256="f" * 64,
    size_bytes=123,
    pages=2,
    kind="bank_statement",
    holder="Acme Ltd",
    opening_balance=10.5,
    info_xmp_mismatch=None,
    mixed_font_lines=1,
)


def test_evidence_survives_the_round_trip_with_the_callers_hash() -> None:
    decoded = decode_evidence(encode_evidence(EVIDENCE), "0" * 64, 123)
    assert decoded == DocumentEvidence(**{**EVIDENCE.__dict__, "sha256": "0" * 64})


def test_limits_survive_the_round_trip() -> None:
    limits = ParseLimits(max_bytes=5, max_pages=3, timeout_s=0.5)
    assert decode_job(encode_job(limits)) == limits


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "passport"},
        {"error": "exploded"},
        {"pages": "2"},
        {"mixed_font_lines": True},
        {"touchup_text_edit": 1},
        {"legal_name": "x" * 5000},
        {"surprise": 1},
        {"pages": None},
    ],
)
def test_replies_outside_the_schema_are_refused(change: dict) -> None:
    body = json.loads(encode_evidence(EVIDENCE))
    body.update(change)
    with pytest.raises(WireError):
        decode_evidence(json.dumps(body).encode(), "0" * 64, 1)


def test_a_pickled_object_is_not_a_reply() -> None:
    with pytest.raises(WireError):
        decode_evidence(pickle.dumps(EVIDENCE), "0" * 64, 1)


def test_frames_carry_their_length_and_refuse_oversized_or_cut_ones() -> None:
    stream = io.BytesIO()
    write_frame(stream, b"hello")
    write_frame(stream, b"x" * 100)
    stream.seek(0)
    assert read_frame(stream, 10) == b"hello"
    with pytest.raises(WireError):
        read_frame(stream, 10)
    assert read_frame(io.BytesIO(b""), 10) is None
    cut = io.BytesIO()
    write_frame(cut, b"hello")
    with pytest.raises(WireError):
        read_frame(io.BytesIO(cut.getvalue()[:-2]), 10)
