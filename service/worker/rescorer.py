"""The seam between event processing and scoring: who is told that an account needs a new score."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session

from service.api.model_status import ModelStatus
from service.db.base import utcnow
from service.domain.policy_model import Policy
from service.errors import ModelNotReady, UnknownAccount
from service.scoring.champion import ChampionModel, LoadedModel
from service.scoring.network import NetworkCache
from service.usecases.score_account import assess_account, current_instant, record_assessment

TRIGGER_MAX = 32

logger = logging.getLogger(__name__)


class Rescorer(Protocol):
    """Scores an account again after an event changed its inputs.

    Called inside the event's transaction: whatever it writes commits together with the
    event's effects, or not at all.
    """

    def rescore(
        self, session: Session, account_id: str, reason: str, event_id: str | None = None
    ) -> None:
        """Re-score `account_id`; `reason` is a short code such as `dispute_created`."""


class NoRescore:
    """Records nothing: for workers that only file events (and for tests of filing alone)."""

    def rescore(
        self, session: Session, account_id: str, reason: str, event_id: str | None = None
    ) -> None:
        """Do nothing."""
        del session, account_id, reason, event_id


@dataclass
class ScoringRescorer:
    """Scores with the served champion and the policy, recording the decision and its actions
    in the event's transaction (the dispatcher sends them once it commits).

    With no champion loaded it raises ModelNotReady: the event fails this attempt and is
    retried with backoff, so nothing is lost while a first model is being promoted.
    """

    models: ModelStatus
    policy: Policy
    network: NetworkCache | None = None
    shadow: Callable[[], LoadedModel | None] | None = None
    clock: Callable[[], dt.datetime] = utcnow
    # Told the band of each decision recorded (the decisions-by-band metric) once the event's
    # transaction commits: an event whose transaction fails and is retried counts once.
    on_decision: Callable[[str], None] | None = None

    def rescore(
        self, session: Session, account_id: str, reason: str, event_id: str | None = None
    ) -> None:
        """Score the account's stored state now; the decision names the event that caused it.

        An account whose Stripe state was never delivered (a dispute arriving before its
        `account.updated`) is not scored: what the event stored stays, and the account's first
        `account.updated` scores it with everything stored by then.
        """
        if not isinstance(self.models, ChampionModel):
            raise ModelNotReady("no champion model is loaded; the event waits for one")
        try:
            assessment = assess_account(
                session=session,
                champion=self.models.current(),
                policy=self.policy,
                as_of=current_instant(self.clock()),
                account_id=account_id,
                triggered_by=f"webhook:{reason}"[:TRIGGER_MAX],
                source_event_id=event_id,
                network=self.network.current() if self.network is not None else None,
                shadow=self.shadow() if self.shadow is not None else None,
            )
        except UnknownAccount:
            logger.info("%s: account %s has no Stripe state yet; not scored", reason, account_id)
            return
        outcome = record_assessment(session, assessment)
        if self.on_decision is not None:
            _count_when_committed(session, outcome.band, self.on_decision)


_UNCOUNTED = "connect_risk.uncounted_bands"


def _count_when_committed(session: Session, band: str, count: Callable[[str], None]) -> None:
    """Count `band` once the session's transaction commits; forget it if it rolls back."""
    uncounted: list[str] | None = session.info.get(_UNCOUNTED)
    if uncounted is None:
        uncounted = session.info[_UNCOUNTED] = []

        def committed(_: Session) -> None:
            while uncounted:
                count(uncounted.pop(0))

        event.listen(session, "after_commit", committed)
        event.listen(session, "after_rollback", lambda _: uncounted.clear())
    uncounted.append(band)
