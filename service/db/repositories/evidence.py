"""Evidence about accounts: onboarding documents and money movements."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, case, select
from sqlalchemy.orm import Session

from service.db.base import new_id, table_of, utcnow
from service.db.models import Document, Transaction
from service.db.repositories.conflicts import upsert
from service.events.money import STATUS_RANK

TRANSACTION_COLUMNS = (
    "account_id",
    "created",
    "type",
    "amount",
    "currency",
    "status",
    "card_country",
    "card_fingerprint",
    "customer",
    "failure_code",
)


def add_document(
    *,
    session: Session,
    account_id: str,
    filename: str,
    content_type: str,
    size_bytes: int,
    sha256: str,
    evidence: dict[str, Any],
    kind: str | None = None,
    error: str | None = None,
    text: str | None = None,
) -> Document:
    """Store what was learnt from one document (its raw text only if the caller passes it)."""
    document = Document(
        id=new_id("doc"),
        account_id=account_id,
        filename=filename,
        content_type=content_type,
        size_bytes=size_bytes,
        sha256=sha256,
        evidence=evidence,
        kind=kind,
        error=error,
        text=text,
    )
    session.add(document)
    session.flush()
    return document


def replace_evidence(
    *,
    session: Session,
    document: Document,
    evidence: dict[str, Any],
    kind: str | None,
    error: str | None,
) -> Document:
    """Record a new parse of a stored document's same bytes (after a transient failure)."""
    document.evidence, document.kind, document.error = evidence, kind, error
    session.flush()
    return document


def find_document(*, session: Session, account_id: str, sha256: str) -> Document | None:
    """The account's document with these bytes (same hash), or None: uploads are deduplicated."""
    statement = select(Document).where(Document.account_id == account_id, Document.sha256 == sha256)
    return session.scalars(statement).first()


def list_documents(*, session: Session, account_id: str) -> list[Document]:
    """The account's documents in upload order."""
    statement = (
        select(Document)
        .where(Document.account_id == account_id)
        .order_by(Document.received_at, Document.id)
    )
    return list(session.scalars(statement))


def upsert_transactions(*, session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert money movements keyed by Stripe id; a known id takes the row's values only if
    its status is not earlier than the stored one (as events are applied: `STATUS_RANK`), so
    an older export loaded after newer events changes nothing.

    Each row has `id` plus the data contract's columns (`TRANSACTION_COLUMNS`); one statement
    for all of them.
    """
    now = utcnow()
    values = [{"id": row["id"], **{c: row.get(c) for c in TRANSACTION_COLUMNS}} for row in rows]
    for value in values:
        value["updated_at"] = now
    table = table_of(Transaction)
    upsert(
        session,
        Transaction,
        values,
        conflict_on=["id"],
        update=[*TRANSACTION_COLUMNS[1:], "updated_at"],
        where=lambda offered: _status_rank(table.c.status) <= _status_rank(offered.status),
    )


def _status_rank(status: ColumnElement[str]) -> ColumnElement[int]:
    return case(STATUS_RANK, value=status, else_=0)


def known_documents(
    *, session: Session, account_ids: Collection[str], hashes: Collection[str]
) -> dict[tuple[str, str], Document]:
    """The stored documents among these accounts and hashes, by (account id, sha256): one
    query to deduplicate a batch of files before parsing them."""
    if not account_ids or not hashes:
        return {}
    statement = select(Document).where(
        Document.account_id.in_(set(account_ids)), Document.sha256.in_(set(hashes))
    )
    return {(doc.account_id, doc.sha256): doc for doc in session.scalars(statement)}


def transaction_records(*, session: Session, account_id: str, before: int) -> list[dict[str, Any]]:
    """The account's money movements created before `before`, as the data contract's records
    (`account` rather than `account_id`), in time order: what the feature code reads, without
    building an ORM object per row."""
    columns = [getattr(Transaction, column) for column in TRANSACTION_COLUMNS]
    statement = (
        select(Transaction.id, *columns)
        .where(Transaction.account_id == account_id, Transaction.created < before)
        .order_by(Transaction.created, Transaction.id)
    )
    names = ("id", "account", *TRANSACTION_COLUMNS[1:])
    return [dict(zip(names, row, strict=True)) for row in session.execute(statement)]
