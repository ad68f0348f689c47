"""Read an account's risk state, its decision history (the audit trail) and its documents;
read-only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session

from service.db.models import Account, Action, ActionAttempt, Decision, Document
from service.db.repositories.accounts import get_account
from service.db.repositories.actions import (
    actions_for_decision,
    actions_in_force,
    requests_for_actions,
)
from service.db.repositories.decision_history import (
    count_documents,
    decisions_page,
    documents_page,
)
from service.db.repositories.decisions import get_decision, latest_decision
from service.errors import InvalidInput, UnknownAccount, UnknownDecision
from service.usecases.document_summary import DocumentSummary, summarise_document


@dataclass(frozen=True)
class AccountState:
    """An account with its newest decision, that decision's tier, and the actions in force at
    Stripe (for each setting, the last one applied, whichever decision planned it)."""

    account: Account
    latest_decision: Decision | None
    tier: str | None
    applied_actions: tuple[Action, ...]
    document_count: int


@dataclass(frozen=True)
class DecisionPage:
    """Decisions newest first, and whether older ones remain."""

    decisions: tuple[Decision, ...]
    has_more: bool


@dataclass(frozen=True)
class DocumentPage:
    """Documents in upload order, and whether later ones remain."""

    documents: tuple[DocumentSummary, ...]
    has_more: bool


@dataclass(frozen=True)
class DecisionDetail:
    """One decision, the actions it planned in planning order, and each action's requests to
    Stripe with their answers (by action id, oldest first)."""

    decision: Decision
    actions: tuple[Action, ...]
    requests: dict[str, list[ActionAttempt]]


def tier_of(actions: Sequence[Action]) -> str | None:
    """The verification tier a decision set, read from its planned actions.

    For decisions recorded before they kept their tier (migration 0005): the policy mirrors
    it into the `risk_tier` metadata and into a review's params, so either tells which tier
    the policy cell chose.
    """
    for action in actions:
        if action.kind == "metadata":
            tier = (action.params.get("metadata") or {}).get("risk_tier")
            if tier:
                return str(tier)
        if action.kind == "review" and action.params.get("tier"):
            return str(action.params["tier"])
    return None


def read_account(*, session: Session, account_id: str) -> AccountState:
    """The account's current risk state; UnknownAccount if the service has no record of it."""
    account = _known_account(session, account_id)
    decision = latest_decision(session=session, account_id=account_id)
    actions = actions_for_decision(session=session, decision_id=decision.id) if decision else []
    return AccountState(
        account=account,
        latest_decision=decision,
        tier=(decision.tier if decision and decision.tier else tier_of(actions)),
        applied_actions=tuple(actions_in_force(session=session, account_id=account_id)),
        document_count=count_documents(session=session, account_id=account_id),
    )


def read_decision_history(
    *, session: Session, account_id: str, limit: int, starting_after: str | None = None
) -> DecisionPage:
    """A page of the account's decisions, newest first, after the decision `starting_after`.

    UnknownAccount for an unknown account; InvalidInput if the cursor is not one of this
    account's decisions (a cursor from another list would silently skip or repeat items).
    """
    _known_account(session, account_id)
    cursor = _cursor(session, Decision, starting_after, account_id)
    decisions = decisions_page(
        session=session, account_id=account_id, limit=limit + 1, starting_after=cursor
    )
    return DecisionPage(decisions=tuple(decisions[:limit]), has_more=len(decisions) > limit)


def read_documents(
    *, session: Session, account_id: str, limit: int, starting_after: str | None = None
) -> DocumentPage:
    """A page of the account's documents in upload order, after the document `starting_after`:
    what each shows or why it could not be read, never the values found in it.

    UnknownAccount for an unknown account; InvalidInput if the cursor is not one of this
    account's documents.
    """
    _known_account(session, account_id)
    cursor = _cursor(session, Document, starting_after, account_id)
    documents = documents_page(
        session=session, account_id=account_id, limit=limit + 1, starting_after=cursor
    )
    return DocumentPage(
        documents=tuple(summarise_document(document) for document in documents[:limit]),
        has_more=len(documents) > limit,
    )


def read_decision(*, session: Session, decision_id: str) -> DecisionDetail:
    """One decision in full with its actions; UnknownDecision if there is none with this id."""
    decision = get_decision(session=session, decision_id=decision_id)
    if decision is None:
        raise UnknownDecision(f"no decision {decision_id}")
    actions = actions_for_decision(session=session, decision_id=decision_id)
    requests = requests_for_actions(session=session, action_ids=[action.id for action in actions])
    return DecisionDetail(decision=decision, actions=tuple(actions), requests=requests)


def _known_account(session: Session, account_id: str) -> Account:
    account = get_account(session=session, account_id=account_id)
    if account is None:
        raise UnknownAccount(f"no account {account_id}")
    return account


_Row = TypeVar("_Row", Decision, Document)


def _cursor(
    session: Session, model: type[_Row], row_id: str | None, account_id: str
) -> _Row | None:
    """The row a page starts after; InvalidInput unless it is one of the account's (a cursor
    from another list would silently skip or repeat items)."""
    if row_id is None:
        return None
    row = session.get(model, row_id)
    if row is None or row.account_id != account_id:
        raise InvalidInput(
            f"starting_after is not a {model.__name__.lower()} of {account_id}",
            loc=("query", "starting_after"),
        )
    return row
