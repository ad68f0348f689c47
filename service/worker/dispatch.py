"""Send planned actions to Stripe through the gateway, once in effect, and record every outcome.

Decisions only plan; this is the one place that calls Stripe's mutating endpoints. Each
action is leased, checked (a newer decision for the account supersedes the older one's
settings; a disconnected account is left alone), sent under its own idempotency key and
recorded with Stripe's answer — outside any database transaction, so no lock is held while
Stripe is slow. The gateway retries 429/5xx itself; what still fails retryably waits with
backoff and is tried again (same key), and after the last attempt stays `failed` for an
operator, never dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any, cast

from service.db.base import utcnow
from service.db.database import Database
from service.db.models import Account, Action, ActionStatus
from service.db.repositories.action_dispatch import claim_actions, finish_action
from service.db.repositories.decisions import latest_decision
from service.domain.actions import STRIPE_KINDS, ActionKind, PlannedAction
from service.stripe_gateway.port import ActionResult, StripeGateway
from service.worker.retry import RetryPolicy
from service.worker.worker import Clock, worker_name

logger = logging.getLogger(__name__)

# Settings a newer decision restates; a rejection confirmed by an analyst is never superseded.
RESTATED_KINDS = frozenset({"payout_schedule", "capability", "metadata"})
# Longer than the gateway's own retries of one action (four attempts with backoff).
DEFAULT_ACTION_LEASE = dt.timedelta(seconds=120)


@dataclass(frozen=True)
class Outcome:
    """How one action ends this attempt: the stored status and what goes with it."""

    status: ActionStatus
    error: str | None
    response: dict[str, Any] | None = None
    next_attempt_at: dt.datetime | None = None
    attempted: bool = True


@dataclass
class DispatchResult:
    """How the actions of one batch ended."""

    applied: int = 0
    skipped: int = 0
    retrying: int = 0
    failed: int = 0
    lost: int = 0

    @property
    def claimed(self) -> int:
        """Actions claimed in the batch."""
        return self.applied + self.skipped + self.retrying + self.failed + self.lost


@dataclass
class Dispatcher:
    """Sends due actions of one database; safe to run many at once (threads or processes).

    The lease must outlast the gateway's own retries of one action.
    """

    database: Database
    gateway: StripeGateway
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    lease: dt.timedelta = DEFAULT_ACTION_LEASE
    owner: str = field(default_factory=worker_name)
    clock: Clock = utcnow

    def run_once(self, limit: int = 20) -> DispatchResult:
        """Claim up to `limit` due actions and send each; returns how they ended."""
        with self.database.session() as session:
            claimed = [
                _planned(action)
                for action in claim_actions(
                    session=session,
                    owner=self.owner,
                    limit=limit,
                    lease=self.lease,
                    now=self.clock(),
                )
            ]
            session.commit()
        result = DispatchResult()
        for action_id, decision_id, attempts, planned in claimed:
            outcome = self._settle_without_stripe(decision_id, planned)
            if outcome is None:
                outcome = self._send(planned, attempts + 1)
            self._record(action_id, outcome, result)
        return result

    def _send(self, planned: PlannedAction, attempts: int) -> Outcome:
        try:
            sent = self.gateway.apply(planned)
        except Exception as exc:
            # The gateway answers Stripe's errors itself; anything else is retried like a 5xx.
            # Logged by type only: an exception's message may quote the account's data.
            logger.error(
                "action %s: the gateway raised %s", planned.idempotency_key, type(exc).__name__
            )
            sent = ActionResult(
                status="failed",
                idempotency_key=planned.idempotency_key,
                attempts=1,
                error_code=type(exc).__name__,
                message="the gateway raised instead of answering",
                retryable=True,
            )
        return self._outcome(planned, sent, attempts)

    def _settle_without_stripe(self, decision_id: str, planned: PlannedAction) -> Outcome | None:
        if planned.kind not in STRIPE_KINDS:
            return Outcome(
                ActionStatus.SKIPPED, f"not a Stripe action ({planned.kind})", attempted=False
            )
        with self.database.session() as session:
            account = session.get(Account, planned.account_id)
            if account is not None and account.deauthorized_at is not None:
                return Outcome(
                    ActionStatus.SKIPPED,
                    "not_controllable: the account disconnected the platform "
                    "(account.application.deauthorized)",
                    attempted=False,
                )
            if planned.kind not in RESTATED_KINDS:
                return None
            newest = latest_decision(session=session, account_id=planned.account_id)
            if newest is not None and newest.id != decision_id:
                return Outcome(
                    ActionStatus.SKIPPED,
                    f"superseded: decision {newest.id} is newer",
                    attempted=False,
                )
        return None

    def _outcome(self, planned: PlannedAction, sent: ActionResult, attempts: int) -> Outcome:
        record = sent.to_record()
        if sent.status == "applied":
            return Outcome(ActionStatus.APPLIED, None, record)
        if sent.status == "dry_run":
            return Outcome(ActionStatus.SKIPPED, f"dry_run: {sent.message}", record)
        if sent.status == "not_controllable":
            return Outcome(ActionStatus.SKIPPED, f"not_controllable: {sent.message}", record)
        detail = f"{sent.error_code or sent.http_status}: {sent.message}"
        if sent.retryable and attempts < self.retry.max_attempts:
            retry_at = self.clock() + self.retry.delay(attempts)
            return Outcome(ActionStatus.FAILED, f"retrying: {detail}", record, retry_at)
        logger.error(
            "action %s (%s) failed for good after %d attempts",
            planned.idempotency_key,
            planned.kind,
            attempts,
        )
        return Outcome(ActionStatus.FAILED, f"failed after {attempts} attempts: {detail}", record)

    def _record(self, action_id: str, outcome: Outcome, result: DispatchResult) -> None:
        with self.database.session() as session:
            kept = finish_action(
                session=session,
                action_id=action_id,
                owner=self.owner,
                status=outcome.status,
                stripe_response=outcome.response,
                error=outcome.error,
                next_attempt_at=outcome.next_attempt_at,
                attempted=outcome.attempted,
            )
            session.commit()
        if not kept:
            result.lost += 1
        elif outcome.status is ActionStatus.APPLIED:
            result.applied += 1
        elif outcome.status is ActionStatus.SKIPPED:
            result.skipped += 1
        elif outcome.next_attempt_at is not None:
            result.retrying += 1
        else:
            result.failed += 1


def _planned(action: Action) -> tuple[str, str, int, PlannedAction]:
    planned = PlannedAction(
        kind=cast(ActionKind, action.kind),
        account_id=action.account_id,
        params=dict(action.params),
        idempotency_key=action.idempotency_key,
        status="planned",
        reason="planned by its decision",
        capability=action.capability,
    )
    return action.id, action.decision_id, action.attempts, planned
