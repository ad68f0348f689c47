"""An account's current risk state, as the platform and risk operations read it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from service.api.schemas.decisions import ActionPublic, DecisionSummaryPublic
from service.usecases.read_accounts import AccountState


class AccountPublic(BaseModel):
    """The latest decision (if any), its band and tier, what holds at Stripe, evidence counts.

    `applied_actions` are the actions in force: for each Stripe setting (payout schedule,
    metadata, each capability, the rejection) the last one applied, whichever decision
    planned it; a later decision that found the setting already right applied nothing.
    """

    id: str
    created_at: dt.datetime
    has_stripe_state: bool
    band: str | None
    tier: str | None
    latest_decision: DecisionSummaryPublic | None
    applied_actions: list[ActionPublic]
    document_count: int

    @classmethod
    def of(cls, state: AccountState) -> AccountPublic:
        """The public view of an account's state."""
        latest = state.latest_decision
        return cls(
            id=state.account.id,
            created_at=state.account.created_at,
            has_stripe_state=state.account.stripe_state is not None,
            band=latest.band if latest else None,
            tier=state.tier,
            latest_decision=DecisionSummaryPublic.of(latest) if latest else None,
            applied_actions=[ActionPublic.of(action) for action in state.applied_actions],
            document_count=state.document_count,
        )
