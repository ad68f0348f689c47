"""/v1/accounts/{account}: an account's current risk state."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import SessionDep, require_scope
from service.api.problems import problem_responses
from service.api.schemas.accounts import AccountPublic
from service.api.schemas.common import AccountId
from service.usecases.read_accounts import read_account

router = APIRouter(
    prefix="/v1/accounts",
    tags=["accounts"],
    dependencies=[require_scope("accounts:read")],
    responses=problem_responses(401, 403, 404, 422, 503),
)


@router.get("/{account}", response_model=AccountPublic)
def read_account_state(account: AccountId, session: SessionDep) -> AccountPublic:
    """The latest decision (if any), its band and tier, applied actions and document count."""
    return AccountPublic.of(read_account(session=session, account_id=account))
