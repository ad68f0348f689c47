"""Decisions: appended and read, never changed (there is deliberately no update function)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Insert, Select, bindparam, func, insert, select
from sqlalchemy.orm import Session

from service.db.base import new_id, table_of, utcnow
from service.db.models import Decision

# An account's decisions newest first; the id breaks ties between decisions of one instant.
NEWEST_FIRST = (Decision.created_at.desc(), Decision.id.desc())
# `triggered_by` of a score asked for at an instant in the past: kept in the account's history,
# never its latest decision, so it neither shows as the account's standing nor supersedes the
# actions of the decision that does.
RETROSPECTIVE = "api:retrospective"


@dataclass(frozen=True)
class NewDecision:
    """Everything a decision records. `id` is generated unless given: callers that derive
    idempotency keys from the decision id before recording it pass their own."""

    account_id: str
    as_of: dt.datetime
    triggered_by: str
    inputs_digest: str
    features: dict[str, Any]
    score: float
    band: str
    segment: str
    reasons: Sequence[Mapping[str, Any] | str]
    model_version: str
    policy_version: str
    source_event_id: str | None = None
    shadow_score: float | None = None
    shadow_model_version: str | None = None
    tier: str | None = None
    documents_to_collect: Sequence[str] | None = None
    evidence_digest: str | None = None
    created_at: dt.datetime = field(default_factory=utcnow)
    id: str | None = None


def record_decision(*, session: Session, decision: NewDecision) -> str:
    """Append a decision and return its id; its account must exist (`accounts.ensure_account`).

    A Core INSERT on the session's connection, not the unit of work: scoring appends one on
    every request, and the ORM's flush cost more than the feature computation.
    """
    decision_id = decision.id or new_id("dec")
    row = {
        "id": decision_id,
        "account_id": decision.account_id,
        "created_at": decision.created_at,
        "as_of": decision.as_of,
        "triggered_by": decision.triggered_by,
        "source_event_id": decision.source_event_id,
        "inputs_digest": decision.inputs_digest,
        "features": dict(decision.features),
        "score": decision.score,
        "band": decision.band,
        "segment": decision.segment,
        "reasons": [r if isinstance(r, str) else dict(r) for r in decision.reasons],
        "model_version": decision.model_version,
        "policy_version": decision.policy_version,
        "shadow_score": decision.shadow_score,
        "shadow_model_version": decision.shadow_model_version,
        "tier": decision.tier,
        "documents_to_collect": (
            None if decision.documents_to_collect is None else list(decision.documents_to_collect)
        ),
        "evidence_digest": decision.evidence_digest,
    }
    session.flush()  # rows the caller added through the ORM (its account) go first
    session.connection().execute(_insert_decision(), [row])
    return decision_id


@functools.cache
def _insert_decision() -> Insert:
    # Built once: a fresh INSERT per score cost its cache key on every request.
    return insert(table_of(Decision))


def get_decision(*, session: Session, decision_id: str) -> Decision | None:
    """The decision with this id, or None."""
    return session.get(Decision, decision_id)


def list_decisions(*, session: Session, account_id: str, limit: int = 50) -> list[Decision]:
    """The account's decisions, newest first."""
    statement = (
        select(Decision)
        .where(Decision.account_id == account_id)
        .order_by(*NEWEST_FIRST)
        .limit(limit)
    )
    return list(session.scalars(statement))


def latest_decision(*, session: Session, account_id: str) -> Decision | None:
    """The account's newest decision that stands (retrospective ones never do), or None."""
    statement = (
        select(Decision)
        .where(Decision.account_id == account_id, Decision.triggered_by != RETROSPECTIVE)
        .order_by(*NEWEST_FIRST)
        .limit(1)
    )
    return session.scalars(statement).first()


def bands_since(
    *, session: Session, account_id: str, since: dt.datetime
) -> set[tuple[str, str | None]]:
    """The bands of the account's standing decisions made after `since`, each with the
    evidence digest it saw (retrospective scores never count)."""
    statement = select(Decision.band, Decision.evidence_digest).where(
        Decision.account_id == account_id,
        Decision.created_at > since,
        Decision.triggered_by != RETROSPECTIVE,
    )
    return set(session.execute(statement.distinct()).tuples())


def latest_decision_ids(*, session: Session, account_ids: Iterable[str]) -> dict[str, str]:
    """Each account's newest standing decision id (accounts without one are absent), in one
    query."""
    rows = session.execute(_newest_decisions(), {"account_ids": list(set(account_ids))})
    return dict(rows.tuples().all())


@functools.cache
def _newest_decisions() -> Select[str, str]:
    # Built once (an expanding IN): the dispatcher asks for every batch it claims.
    newest_first = func.row_number().over(
        partition_by=Decision.account_id,
        order_by=NEWEST_FIRST,
    )
    ranked = (
        select(Decision.account_id, Decision.id, newest_first.label("rank"))
        .where(
            Decision.account_id.in_(bindparam("account_ids", expanding=True)),
            Decision.triggered_by != RETROSPECTIVE,
        )
        .subquery()
    )
    return select(ranked.c.account_id, ranked.c.id).where(ranked.c.rank == 1)
