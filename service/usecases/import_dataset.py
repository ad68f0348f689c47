"""Load a dataset directory (the data contract) into the service: a platform's backfill.

A platform adopting connect-risk already holds its connected accounts, their money movements
and their onboarding documents: the export it trains on. Importing them lets the onboarding
flow and risk operations score those accounts by id at once, instead of waiting for webhooks
to rebuild their history. An import is safe to run again, and beside live traffic:

- account states go through the newer-state-wins rule (`record_account_state`) at
  `captured_at`, so a state a webhook delivered since the export is kept;
- money movements are keyed by Stripe id and only move to an equal or later status, as
  events do (`upsert_transactions`);
- documents are deduplicated by their bytes per account, parsed under the upload limits in
  worker processes, and stored like uploads (one that cannot be read, with its reason).

Every chunk commits on its own, under the database's write turn (writers on SQLite queue
rather than fail), so an interrupted import keeps what it stored and a rerun completes it;
chunks are small enough that a live service's scores wait a fraction of a second for one.
The dataset is validated whole before anything is written (`training.dataset.load_dataset`).
Imported rows are the service's from then on: documents count as received when imported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from features.documents import DocumentEvidence
from features.documents.evidence import TRANSIENT_ERRORS
from service.db.database import Database
from service.db.repositories.accounts import record_account_state
from service.db.repositories.evidence import (
    TRANSACTION_COLUMNS,
    known_documents,
    upsert_transactions,
)
from service.usecases.upload_document import DocumentUpload, reread_document, store_document

# Rows per database transaction: each chunk commits on its own.
ACCOUNTS_PER_CHUNK = 500
TRANSACTIONS_PER_CHUNK = 2_500
DOCUMENTS_PER_CHUNK = 32

Advance = Callable[[int], None]
ParseMany = Callable[[Sequence[bytes]], list[DocumentEvidence]]


@dataclass(frozen=True)
class AccountsImported:
    """States stored, and states left alone because a newer one was already stored."""

    stored: int
    kept_newer: int


@dataclass(frozen=True)
class DocumentsImported:
    """New documents stored (of which `unreadable` with an error reason), and files whose
    bytes were already stored for their account."""

    stored: int
    unreadable: int
    already_known: int
    # Each file that could not be read, with its reason (stored with it).
    refused: tuple[tuple[Path, str], ...] = ()
    # Files stored before with a parse that ran out of time, read again this time.
    read_again: int = 0


def _ignore(_: int) -> None:
    return None


def import_accounts(
    database: Database,
    accounts: Mapping[str, Mapping[str, Any]],
    *,
    captured_at: dt.datetime,
    advance: Advance = _ignore,
) -> AccountsImported:
    """Keep each Account object as its account's Stripe state as of `captured_at`, unless a
    newer state is stored."""
    stored = kept = 0
    for chunk in _chunks(list(accounts.items()), ACCOUNTS_PER_CHUNK):
        with database.write_turn(), database.session() as session:
            for account_id, state in chunk:
                if record_account_state(
                    session=session, account_id=account_id, state=dict(state), as_of=captured_at
                ):
                    stored += 1
                else:
                    kept += 1
            session.commit()
        advance(len(chunk))
    return AccountsImported(stored=stored, kept_newer=kept)


def import_transactions(
    database: Database, transactions: pd.DataFrame, *, advance: Advance = _ignore
) -> int:
    """Upsert the contract's transactions frame (its accounts must be imported); returns the
    rows offered. Values are stored as the batch job reads them, so a score by id sees what
    `connect-risk score` sees."""
    frame = transactions.rename(columns={"account": "account_id"})
    columns = ["id", *TRANSACTION_COLUMNS]
    for start in range(0, len(frame), TRANSACTIONS_PER_CHUNK):
        part = frame.iloc[start : start + TRANSACTIONS_PER_CHUNK][columns]
        # The loader leaves no missing values; as objects, the integers are Python ints.
        rows = part.astype(object).to_dict("records")
        with database.write_turn(), database.session() as session:
            upsert_transactions(session=session, rows=rows)
            session.commit()
        advance(len(rows))
    return len(frame)


def import_documents(
    database: Database,
    documents: Mapping[str, Sequence[Path]],
    *,
    parse_many: ParseMany,
    max_bytes: int,
    advance: Advance = _ignore,
) -> DocumentsImported:
    """Parse and store each account's files (its account must be imported); files already
    stored for the account are neither parsed nor stored again, unless their parse ran out of
    time then (they are read again and their record updated). A file over `max_bytes` is
    never read whole: it is hashed as a stream and stored as `too_large`, as an upload over
    the limit is refused. Parsing happens outside the write turn."""
    stored = unreadable = known = read_again = 0
    refused: list[tuple[Path, str]] = []
    files = [(account_id, path) for account_id, paths in documents.items() for path in paths]
    for chunk in _chunks(files, DOCUMENTS_PER_CHUNK):
        blobs = [_read_within(path, max_bytes) for _, path in chunk]
        hashes = [
            hashlib.sha256(blob).hexdigest() if blob is not None else _stream_hash(path)
            for blob, (_, path) in zip(blobs, chunk, strict=True)
        ]
        with database.session() as session:
            stored_before = known_documents(
                session=session,
                account_ids={account_id for account_id, _ in chunk},
                hashes=set(hashes),
            )
        # A stored parse that ran out of time is read again, like an upload of the same file.
        again = {p: d.id for p, d in stored_before.items() if d.error in TRANSIENT_ERRORS}
        seen = set(stored_before) - set(again)
        new: list[int] = []
        for i, (account_id, _) in enumerate(chunk):
            # The same bytes twice in one account's folder are one document.
            if (account_id, hashes[i]) not in seen:
                seen.add((account_id, hashes[i]))
                new.append(i)
        known += len(chunk) - len(new)
        readable = [i for i in new if blobs[i] is not None]
        by_index = dict(zip(readable, parse_many([blobs[i] or b"" for i in readable]), strict=True))
        evidence = [
            by_index[i] if i in by_index else _too_large(hashes[i], chunk[i][1]) for i in new
        ]
        with database.write_turn(), database.session() as session:
            for i, parsed in zip(new, evidence, strict=True):
                account_id, path = chunk[i]
                upload = DocumentUpload(
                    account_id=account_id,
                    data=blobs[i] or b"",
                    content_type="application/pdf",
                    filename=path.name,
                )
                document_id = again.pop((account_id, hashes[i]), None)
                if document_id is not None:
                    reread_document(session, document_id, parsed)
                    read_again += 1
                    if parsed.error:
                        refused.append((path, parsed.error))
                    continue
                outcome = store_document(
                    session=session, upload=upload, sha256=hashes[i], evidence=parsed
                )
                if not outcome.created:
                    known += 1
                elif parsed.error:
                    stored, unreadable = stored + 1, unreadable + 1
                    refused.append((path, parsed.error))
                else:
                    stored += 1
            session.commit()
        advance(len(chunk))
    return DocumentsImported(
        stored=stored,
        unreadable=unreadable,
        already_known=known,
        refused=tuple(refused),
        read_again=read_again,
    )


def _read_within(path: Path, max_bytes: int) -> bytes | None:
    """The file's bytes, or None when it is larger than `max_bytes`."""
    if path.stat().st_size > max_bytes:
        return None
    return path.read_bytes()


def _too_large(sha256: str, path: Path) -> DocumentEvidence:
    return DocumentEvidence(sha256=sha256, size_bytes=path.stat().st_size, error="too_large")


def _stream_hash(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
