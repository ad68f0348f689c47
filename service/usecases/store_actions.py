"""Record a decision's planned actions: Stripe actions for the dispatcher, reviews at once.

Only an action the gateway may send stays `planned` (the worker's dispatcher sends it);
the rest are kept as `skipped` with why they wait. A `review` action puts the account in the
review queue in the decision's own transaction. An account already waiting there keeps its
review, which now refers to the newest decision: the analyst judges (and a `reject`
resolution confirms) what the latest score says.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from service.db.models import Action, ActionStatus
from service.db.repositories.actions import NewAction, plan_actions
from service.db.repositories.reviews import find_open_review, open_review
from service.domain.actions import PlannedAction

_STORED_STATUS = {
    "planned": ActionStatus.PLANNED,
    "noop": ActionStatus.SKIPPED,
    "not_controllable": ActionStatus.SKIPPED,
    "awaiting_review": ActionStatus.SKIPPED,
}


def is_held_for_review(action: Action) -> bool:
    """Whether a stored action waits for an analyst (a rejection the policy holds back)."""
    return action.status == ActionStatus.SKIPPED and (action.error or "").startswith(
        "awaiting_review:"
    )


def store_actions(
    session: Session, decision_id: str, account_id: str, actions: Sequence[PlannedAction]
) -> None:
    """Store each action of the decision (the caller commits); open its review if it asks."""
    rows = []
    for planned in actions:
        status = _STORED_STATUS[planned.status]
        error = None if status is ActionStatus.PLANNED else f"{planned.status}: {planned.reason}"
        if planned.kind == "review" and status is ActionStatus.PLANNED:
            status, error = _enter_review_queue(session, decision_id, account_id, planned)
        rows.append(
            NewAction(
                kind=planned.kind,
                params=dict(planned.params),
                idempotency_key=planned.idempotency_key,
                status=status,
                error=error,
                capability=planned.capability,
                reason=planned.reason,
            )
        )
    plan_actions(session=session, decision_id=decision_id, account_id=account_id, actions=rows)


def _enter_review_queue(
    session: Session, decision_id: str, account_id: str, planned: PlannedAction
) -> tuple[ActionStatus, str | None]:
    waiting = find_open_review(session=session, account_id=account_id, for_update=True)
    if waiting is not None:
        waiting.decision_id = decision_id
        waiting.reason = planned.reason
        session.flush()
        return ActionStatus.SKIPPED, f"noop: the account already waits in review {waiting.id}"
    open_review(
        session=session, account_id=account_id, reason=planned.reason, decision_id=decision_id
    )
    return ActionStatus.APPLIED, None
