"""GET /v1/whoami: which API key is calling, and with which scopes."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from service.api.deps import CurrentKey
from service.api.problems import problem_responses

router = APIRouter(prefix="/v1", tags=["auth"], responses=problem_responses(401, 503))


class WhoAmI(BaseModel):
    """The calling key: id, name and scopes (never the secret)."""

    key_id: str
    name: str
    scopes: list[str]


@router.get("/whoami", response_model=WhoAmI)
def read_whoami(key: CurrentKey) -> WhoAmI:
    """Identify the calling key; any valid key may ask."""
    return WhoAmI(key_id=key.key_id, name=key.name, scopes=sorted(key.scopes))
