"""Shapes shared by resources: account ids and Stripe-style list pages."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path, Query
from pydantic import BaseModel

ACCOUNT_ID_PATTERN = r"^acct_[A-Za-z0-9]{1,59}$"
MAX_PAGE = 100

AccountId = Annotated[
    str,
    Path(pattern=ACCOUNT_ID_PATTERN, description="A Stripe connected account id (`acct_…`)"),
]
PageLimit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="How many items per page")]


class ListPublic(BaseModel):
    """A page of a list: `has_more` says whether to ask again with `starting_after`."""

    object: Literal["list"] = "list"
    has_more: bool
