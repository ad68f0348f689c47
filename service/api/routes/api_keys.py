"""/v1/api-keys: issue, list and revoke API keys over HTTP (admin scope)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from pydantic import AfterValidator, BaseModel, Field

from service.api.deps import PepperDep, SessionDep, require_scope
from service.api.problems import problem_responses
from service.api.schemas.common import ListPublic, PageLimit
from service.auth.keys import MAX_NAME_LENGTH, check_name, issue_key, revoke_key
from service.auth.scopes import ADMIN, check_scope
from service.db.models import ApiKey
from service.db.repositories.api_keys import list_api_keys
from service.errors import InvalidInput

router = APIRouter(
    prefix="/v1/api-keys",
    tags=["api keys"],
    dependencies=[require_scope(ADMIN)],
    responses=problem_responses(401, 403, 503),
)

Scope = Annotated[str, AfterValidator(check_scope)]


def _key_name(name: str) -> str:
    # The same rule as the CLI's, reported as a validation error so the 422 names the field.
    try:
        return check_name(name)
    except InvalidInput as exc:
        raise ValueError(str(exc)) from None


class ApiKeyCreate(BaseModel):
    """A key to issue: what it is for, and what it may do."""

    name: Annotated[str, AfterValidator(_key_name)] = Field(
        min_length=1, max_length=MAX_NAME_LENGTH
    )
    scopes: list[Scope] = Field(min_length=1)


class ApiKeyPublic(BaseModel):
    """A key as listed: never its secret."""

    key_id: str
    name: str
    scopes: list[str]
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @classmethod
    def of(cls, record: ApiKey) -> ApiKeyPublic:
        """The public view of a stored key."""
        return cls(
            key_id=record.id,
            name=record.name,
            scopes=list(record.scopes),
            created_at=record.created_at,
            revoked_at=record.revoked_at,
        )


class ApiKeyCreated(ApiKeyPublic):
    """A new key, with the token: this response is the only time it is shown."""

    key: str


@router.post(
    "",
    response_model=ApiKeyCreated,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(413, 415, 422),
)
def create_api_key(body: ApiKeyCreate, session: SessionDep, pepper: PepperDep) -> ApiKeyCreated:
    """Issue a key; the response carries the token once."""
    issued = issue_key(session=session, name=body.name, scopes=body.scopes, pepper=pepper)
    session.commit()
    return ApiKeyCreated(
        key_id=issued.principal.key_id,
        name=issued.principal.name,
        scopes=sorted(issued.principal.scopes),
        created_at=issued.created_at,
        revoked_at=None,
        key=issued.token,
    )


class ApiKeysPublic(ListPublic):
    """A page of keys, oldest first, revoked ones included."""

    data: list[ApiKeyPublic]


KeyCursor = Annotated[
    str | None, Query(max_length=16, description="The last key id of the previous page")
]


@router.get("", response_model=ApiKeysPublic, responses=problem_responses(422))
def read_api_keys(
    session: SessionDep, limit: PageLimit = 20, starting_after: KeyCursor = None
) -> ApiKeysPublic:
    """Keys, oldest first, revoked ones included; page on with `starting_after`, as every
    list of the API does."""
    cursor = None
    if starting_after is not None:
        cursor = session.get(ApiKey, starting_after)
        if cursor is None:
            raise InvalidInput(
                "starting_after is not an API key id", loc=("query", "starting_after")
            )
    keys = list_api_keys(session=session, limit=limit + 1, starting_after=cursor)
    return ApiKeysPublic(
        data=[ApiKeyPublic.of(record) for record in keys[:limit]], has_more=len(keys) > limit
    )


@router.delete("/{key_id}", response_model=ApiKeyPublic, responses=problem_responses(404, 422))
def delete_api_key(
    key_id: Annotated[str, Path(max_length=16)], session: SessionDep
) -> ApiKeyPublic:
    """Revoke a key for good; revoking twice is harmless."""
    record = revoke_key(session=session, key_id=key_id)
    session.commit()
    return ApiKeyPublic.of(record)
