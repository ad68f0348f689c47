"""A JSON-lines file of parsed document evidence keyed by sha256, so re-runs skip parsing."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from features import registry_version
from features.documents import DocumentEvidence


def cache_file(directory: Path) -> Path:
    """The cache file for the current evidence shape and feature registry.

    Its name changes whenever DocumentEvidence's fields or any feature spec change, so a stale
    cache is never read; delete the directory after a parser change that alters neither.
    """
    shape = ",".join(field.name for field in dataclasses.fields(DocumentEvidence))
    key = hashlib.sha256(f"{shape}|{registry_version()}".encode()).hexdigest()[:12]
    return directory / f"document-evidence-{key}.jsonl"


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
    """Write every entry, atomically (a crash never leaves half a file behind)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".evidence-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for item in evidence.values():
                out.write(json.dumps(dataclasses.asdict(item), separators=(",", ":")) + "\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
