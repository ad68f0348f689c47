"""Reading the audit trail page by page: an account's decisions newest first, its documents
oldest first, and counts."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.db.models import Decision, Document
from service.db.repositories.decisions import NEWEST_FIRST
from service.db.repositories.paging import after_cursor


def decisions_page(
    *, session: Session, account_id: str, limit: int, starting_after: Decision | None = None
) -> list[Decision]:
    """Up to `limit` of the account's decisions, newest first, after the cursor if given.

    The cursor is a decision, ordered by (created_at, id), so pages stay stable while new
    decisions are appended at the top.
    """
    statement = select(Decision).where(Decision.account_id == account_id)
    if starting_after is not None:
        cursor = (starting_after.created_at, starting_after.id)
        statement = statement.where(
            after_cursor(Decision.created_at, Decision.id, cursor, newest_first=True)
        )
    statement = statement.order_by(*NEWEST_FIRST).limit(limit)
    return list(session.scalars(statement))


def documents_page(
    *, session: Session, account_id: str, limit: int, starting_after: Document | None = None
) -> list[Document]:
    """Up to `limit` of the account's documents in upload order, after the cursor if given
    (ordered by (received_at, id), so later uploads never shift earlier pages)."""
    statement = select(Document).where(Document.account_id == account_id)
    if starting_after is not None:
        cursor = (starting_after.received_at, starting_after.id)
        statement = statement.where(after_cursor(Document.received_at, Document.id, cursor))
    statement = statement.order_by(Document.received_at, Document.id).limit(limit)
    return list(session.scalars(statement))


def count_documents(*, session: Session, account_id: str) -> int:
    """How many documents the account has uploaded (failed ones included)."""
    statement = select(func.count()).select_from(Document).where(Document.account_id == account_id)
    return int(session.scalar(statement) or 0)
