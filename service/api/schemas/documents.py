"""Uploaded documents as the onboarding flow sees them: what was found, never the values."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from service.api.schemas.common import ListPublic
from service.usecases.document_summary import DocumentSummary


class DocumentBase(BaseModel):
    """What is known about an uploaded file without reading it."""

    account_id: str
    content_type: str
    size_bytes: int
    sha256: str


class DocumentPublic(DocumentBase):
    """One stored document: its kind, which fields and forensic flags were found, or its error.

    Field values (names, numbers, addresses) stay in the service; the onboarding flow needs
    to know what the document shows, not to read it back.
    """

    id: str
    kind: str | None
    pages: int
    fields_found: list[str]
    forensic_flags: list[str]
    error: str | None
    received_at: dt.datetime

    @classmethod
    def of(cls, summary: DocumentSummary) -> DocumentPublic:
        """The public view of a stored document's summary."""
        return cls(
            id=summary.id,
            account_id=summary.account_id,
            content_type=summary.content_type,
            size_bytes=summary.size_bytes,
            sha256=summary.sha256,
            kind=summary.kind,
            pages=summary.pages,
            fields_found=list(summary.fields_found),
            forensic_flags=list(summary.forensic_flags),
            error=summary.error,
            received_at=summary.received_at,
        )


class DocumentsPublic(ListPublic):
    """A page of an account's documents, in upload order."""

    data: list[DocumentPublic]
