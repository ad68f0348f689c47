"""/v1/accounts/{account}: an account's current risk state, and the documents it uploaded."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from service.api.deps import SessionDep, require_scope
from service.api.problems import problem_responses
from service.api.schemas.accounts import AccountPublic
from service.api.schemas.common import AccountId, PageLimit
from service.api.schemas.documents import DocumentPublic, DocumentsPublic
from service.usecases.read_accounts import read_account, read_documents

router = APIRouter(
    prefix="/v1/accounts",
    tags=["accounts"],
    dependencies=[require_scope("accounts:read")],
    responses=problem_responses(401, 403, 404, 422, 503),
)

Cursor = Annotated[
    str | None,
    Query(max_length=40, description="The last document id of the previous page"),
]


@router.get("/{account}", response_model=AccountPublic)
def read_account_state(account: AccountId, session: SessionDep) -> AccountPublic:
    """The latest decision (if any), its band and tier, the actions in force at Stripe (for
    each setting the last one applied, whichever decision planned it) and document count."""
    return AccountPublic.of(read_account(session=session, account_id=account))


@router.get("/{account}/documents", response_model=DocumentsPublic)
def read_account_documents(
    account: AccountId, session: SessionDep, limit: PageLimit = 20, starting_after: Cursor = None
) -> DocumentsPublic:
    """The account's uploaded documents in upload order (rejected ones with their reason):
    kind, fields and forensic flags found, never the values; page on with `starting_after`."""
    page = read_documents(
        session=session, account_id=account, limit=limit, starting_after=starting_after
    )
    return DocumentsPublic(
        data=[DocumentPublic.of(document) for document in page.documents],
        has_more=page.has_more,
    )
