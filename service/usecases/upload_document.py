"""Receive one onboarding document: parse it within limits, store its evidence, deduplicate.

The onboarding flow uploads before the account is ever scored, so an upload for an account
the service has not seen creates the account's row (without Stripe state); the account id is
checked for shape at the route. Every upload is stored, failed ones with their error reason,
so nothing the platform sent is lost. Raw bytes are never stored, and names never logged.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import features.documents
from features.documents import DocumentEvidence, ParseLimits, parse_document
from features.documents.evidence import TRANSIENT_ERRORS
from service.db.models import Document
from service.db.repositories.accounts import ensure_account
from service.db.repositories.evidence import add_document, find_document, replace_evidence
from service.errors import ParsersBusy
from service.settings import Settings
from service.usecases.document_summary import DocumentSummary, summarise_document

logger = logging.getLogger(__name__)

MAX_FILENAME = 255
MAX_CONTENT_TYPE = 100
# How long an upload waits for a free parser before it is refused (503, nothing stored).
PARSER_WAIT_S = 5.0

Parser = Callable[[bytes], DocumentEvidence]

ERROR_MESSAGES = {
    "encrypted": "the PDF is password-protected; upload it without a password",
    "not_pdf": "the file is not a PDF",
    "corrupt": "the PDF is damaged and cannot be read",
    "too_large": (
        "the file is over a size limit: {max_bytes:,} bytes, {max_objects:,} page objects, "
        "or what its compressed streams may expand to"
    ),
    "too_many_pages": "the PDF has more than {max_pages} pages, the limit",
    "timeout": "reading the PDF took longer than the limit of {timeout_s:g} s",
    "empty": "the file is empty",
}


@dataclass(frozen=True)
class DocumentUpload:
    """One file as received: its bytes and what the client said about it."""

    account_id: str
    data: bytes
    content_type: str
    filename: str | None = None


@dataclass(frozen=True)
class UploadOutcome:
    """The stored document, and whether this upload created it (False: same file seen before)."""

    document: DocumentSummary
    created: bool


def document_limits(settings: Settings) -> ParseLimits:
    """The parse limits for uploads: the upload size limit, the parser's other defaults."""
    return ParseLimits(max_bytes=settings.max_document_bytes)


def error_message(reason: str, limits: ParseLimits) -> str:
    """What a client should read for a document-level error reason, with the limit it hit."""
    message = ERROR_MESSAGES.get(reason, f"the document could not be read ({reason})")
    return message.format_map(dataclasses.asdict(limits))


def document_parser(limits: ParseLimits, parsers: int = 1) -> Parser:
    """`parse_document` bound to `limits` and up to `parsers` processes: the parser uploads
    use. It raises ParsersBusy (503) when every parser stays busy for PARSER_WAIT_S."""

    def parse(data: bytes) -> DocumentEvidence:
        try:
            return parse_document(data, limits=limits, parsers=parsers, wait_s=PARSER_WAIT_S)
        except features.documents.ParsersBusy:
            raise ParsersBusy("every document parser is busy; retry shortly") from None

    return parse


def upload_document(
    *,
    session: Session,
    upload: DocumentUpload,
    parse: Parser,
    write_turn: Callable[[], AbstractContextManager[None]] = contextlib.nullcontext,
) -> UploadOutcome:
    """Store the evidence of one uploaded file for its account and commit (a blocking call:
    parses a PDF).

    The same bytes uploaded again for the same account return the stored record unparsed,
    unless its parse ran out of time (a busy machine, not the file): those are read again.
    `parse` is normally `document_parser(limits)`. The parse, which may take the whole parse
    time limit, runs outside any transaction; only the writes after it take the database's
    `write_turn` (on SQLite a transaction held across a slow parse kept every other writer
    waiting for its lock, and they failed with 503).
    """
    sha256 = hashlib.sha256(upload.data).hexdigest()
    existing = find_document(session=session, account_id=upload.account_id, sha256=sha256)
    if existing is not None and existing.error not in TRANSIENT_ERRORS:
        return UploadOutcome(summarise_document(existing), created=False)
    # The same bytes, stored after a parse that ran out of time, are read again.
    stored_id = existing.id if existing is not None else None
    session.rollback()  # end the read before parsing
    evidence = parse(upload.data)
    with write_turn():
        if stored_id is not None:
            outcome = reread_document(session, stored_id, evidence)
        else:
            ensure_account(session=session, account_id=upload.account_id)
            outcome = store_document(
                session=session, upload=upload, sha256=sha256, evidence=evidence
            )
        session.commit()
    if outcome.created:
        logger.info(
            "document %s stored for %s: %s",
            outcome.document.id,
            upload.account_id,
            outcome.document.error or outcome.document.kind,
        )
    return outcome


def reread_document(
    session: Session, document_id: str, evidence: DocumentEvidence
) -> UploadOutcome:
    """Record a new parse of a stored document whose earlier parse failed for a transient
    reason (TRANSIENT_ERRORS); the caller commits. Uploads and `import` share it."""
    document = session.get(Document, document_id, with_for_update=True)
    assert document is not None  # documents are never deleted
    replace_evidence(
        session=session,
        document=document,
        evidence=dataclasses.asdict(evidence),
        kind=None if evidence.error else evidence.kind,
        error=evidence.error,
    )
    return UploadOutcome(summarise_document(document), created=False)


def store_document(
    *, session: Session, upload: DocumentUpload, sha256: str, evidence: DocumentEvidence
) -> UploadOutcome:
    """Store a parsed file's evidence (`sha256` and size: of its bytes) for its existing
    account, unless the same bytes are stored for it already; the caller commits. Uploads
    and `connect-risk import` share it."""
    record = dataclasses.asdict(evidence)
    try:
        # A savepoint: a concurrent upload of the same file may win the unique constraint.
        with session.begin_nested():
            document = add_document(
                session=session,
                account_id=upload.account_id,
                filename=(upload.filename or "")[:MAX_FILENAME],
                content_type=upload.content_type[:MAX_CONTENT_TYPE],
                size_bytes=evidence.size_bytes,
                sha256=sha256,
                evidence=record,
                kind=None if evidence.error else evidence.kind,
                error=evidence.error,
            )
    except IntegrityError:
        winner = find_document(session=session, account_id=upload.account_id, sha256=sha256)
        if winner is None:
            raise
        return UploadOutcome(summarise_document(winner), created=False)
    return UploadOutcome(summarise_document(document), created=True)
