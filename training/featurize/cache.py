"""A JSON-lines file of parsed document evidence keyed by sha256, so re-runs skip parsing."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from features import documents, registry_version
from features.documents import DocumentEvidence
from features.documents.evidence import TRANSIENT_ERRORS


def cache_file(directory: Path, parser: str | None = None) -> Path:
    """The cache file for the current evidence shape, feature registry and parser code.

    Its name changes whenever DocumentEvidence's fields, any feature spec or any source file
    of the parser (`features/documents/`; `parser` overrides its fingerprint) changes, so
    evidence from an older parser is never read.
    """
    shape = ",".join(field.name for field in dataclasses.fields(DocumentEvidence))
    parser = parser if parser is not None else parser_fingerprint()
    key = hashlib.sha256(f"{shape}|{registry_version()}|{parser}".encode()).hexdigest()[:12]
    return directory / f"document-evidence-{key}.jsonl"


@functools.cache
def parser_fingerprint() -> str:
    """The fingerprint of the parser's source files: a fix that changes what it extracts (a
    new cue, a repaired lookup) must not be hidden by evidence cached before it."""
    return source_fingerprint(Path(documents.__file__).parent)


def source_fingerprint(package: Path) -> str:
    """sha256 over the names and bytes of a package's Python files."""
    digest = hashlib.sha256()
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def load_cache(path: Path) -> dict[str, DocumentEvidence]:
    """Evidence by sha256; an absent or unreadable file (or line) just means "parse again"."""
    found: dict[str, DocumentEvidence] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return found
    for line in lines:
        try:
            evidence = DocumentEvidence(**json.loads(line))
        except (ValueError, TypeError):
            continue
        found[evidence.sha256] = evidence
    return found


def save_cache(path: Path, evidence: Mapping[str, DocumentEvidence]) -> None:
    """Write every entry but transient failures (a parse that ran out of time on a busy
    machine), atomically (a crash never leaves half a file behind)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".evidence-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for item in evidence.values():
                if item.error in TRANSIENT_ERRORS:
                    continue  # parse again next time: it says more about that run than the file
                out.write(json.dumps(dataclasses.asdict(item), separators=(",", ":")) + "\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
