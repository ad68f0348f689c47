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

import dataclasses
import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import cast

from service.db.base import utcnow
from service.db.database import Database
from service.db.models import Action, ActionStatus
from service.db.repositories.accounts import disconnected_account_ids
from service.db.repositories.action_dispatch import (
    FinishedAction,
    claim_actions,
    finish_actions,
)
from service.db.repositories.decisions import latest_decision_ids
from service.domain.actions import STRIPE_KINDS, ActionKind, PlannedAction
from service.stripe_gateway.port import ActionResult, StripeGateway
from service.worker.retry import RetryPolicy
from service.worker.worker import Clock, worker_name

logger = logging.getLogger(__name__)

# Settings a newer decision restates; a rejection confirmed by an analyst is never superseded.
RESTATED_KINDS = frozenset({"payout_schedule", "capability", "metadata"})
# Longer than the gateway's own retries of one action (four attempts with backoff).
DEFAULT_ACTION_LEASE = dt.timedelta(seconds=120)


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

    def add(self, other: DispatchResult) -> None:
        """Count `other`'s actions in this result too."""
        for outcome in dataclasses.fields(self):
            setattr(self, outcome.name, getattr(self, outcome.name) + getattr(other, outcome.name))


@dataclass
class Dispatcher:
    """Sends due actions of one database; safe to run many at once (threads or processes).

    The lease must outlast the gateway's own retries of one action. `concurrency` accounts are
    sent to at once (Stripe answers in hundreds of milliseconds, so one at a time caps a
    dispatcher at a few actions a second); each account's actions still go out one after the
    other, oldest first.
    """

    database: Database
    gateway: StripeGateway
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    lease: dt.timedelta = DEFAULT_ACTION_LEASE
    owner: str = field(default_factory=worker_name)
    clock: Clock = utcnow
    concurrency: int = 1
    # Actions per claim when set, whatever the caller's `limit`: a gateway that answers at
    # once (the dry run) settles a large claim long before its leases end, and each claim,
    # supersession check and commit then serves many actions.
    claim_limit: int | None = None
    _pool: ThreadPoolExecutor | None = field(default=None, init=False, repr=False)

    def run_once(self, limit: int = 20) -> DispatchResult:
        """Claim up to `limit` (or `claim_limit`) due actions and send each; returns how they
        ended.

        What Stripe answered is recorded as soon as it answers, one action per transaction.
        What was settled here without reaching Stripe (superseded, disconnected, dry run) is
        recorded for the whole batch in one transaction: redoing it after a crash is harmless.
        """
        with self.database.write_turn(), self.database.session() as session:
            claimed = [
                _planned(action)
                for action in claim_actions(
                    session=session,
                    owner=self.owner,
                    limit=self.claim_limit or limit,
                    lease=self.lease,
                    now=self.clock(),
                )
            ]
            session.commit()
        settled = self._settle_without_stripe(claimed)
        local = [settled[action_id] for action_id, _, _, _ in claimed if action_id in settled]
        by_account: dict[str, list[tuple[str, int, PlannedAction]]] = {}
        for action_id, _, attempts, planned in claimed:
            if action_id not in settled:
                by_account.setdefault(planned.account_id, []).append((action_id, attempts, planned))
        queues = list(by_account.values())
        if self.concurrency > 1 and len(queues) > 1:
            sent = list(self._executor().map(self._send_in_order, queues))
        else:
            sent = [self._send_in_order(queue) for queue in queues]
        result = DispatchResult()
        for recorded, unrecorded in sent:
            result.add(recorded)
            local.extend(unrecorded)
        result.add(self._record(local))
        return result

    def close(self) -> None:
        """Stop the sending threads (at shutdown)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="dispatch")
        return self._pool

    def _send_in_order(
        self, queue: list[tuple[str, int, PlannedAction]]
    ) -> tuple[DispatchResult, list[FinishedAction]]:
        """Send one account's actions one after the other. What reached Stripe is recorded at
        once; the rest (dry runs) is returned for the batch's one transaction."""
        recorded, unrecorded = DispatchResult(), []
        for action_id, attempts, planned in queue:
            finished, reached_stripe = self._send(action_id, planned, attempts + 1)
            if reached_stripe:
                recorded.add(self._record([finished]))
            else:
                unrecorded.append(finished)
        return recorded, unrecorded

    def _send(
        self, action_id: str, planned: PlannedAction, attempts: int
    ) -> tuple[FinishedAction, bool]:
        """The action's outcome, and whether the request reached Stripe (not a dry run)."""
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
        return self._outcome(action_id, planned, sent, attempts), sent.status != "dry_run"

    def _settle_without_stripe(
        self, claimed: list[tuple[str, str, int, PlannedAction]]
    ) -> dict[str, FinishedAction]:
        """Outcomes, by action id, of the claimed actions that need no request to Stripe:
        kinds Stripe has no endpoint for, accounts that disconnected the platform, and
        settings a newer decision restates."""
        accounts = {planned.account_id for _, _, _, planned in claimed}
        with self.database.session() as session:
            disconnected = disconnected_account_ids(session=session, account_ids=accounts)
            newest = latest_decision_ids(session=session, account_ids=accounts)
        settled = {}
        for action_id, decision_id, _, planned in claimed:
            if planned.kind not in STRIPE_KINDS:
                reason = f"not a Stripe action ({planned.kind})"
            elif planned.account_id in disconnected:
                reason = (
                    "not_controllable: the account disconnected the platform "
                    "(account.application.deauthorized)"
                )
            elif (
                planned.kind in RESTATED_KINDS
                and newest.get(planned.account_id, decision_id) != decision_id
            ):
                reason = f"superseded: decision {newest[planned.account_id]} is newer"
            else:
                continue
            settled[action_id] = FinishedAction(
                action_id, ActionStatus.SKIPPED, reason, attempted=False
            )
        return settled

    def _outcome(
        self, action_id: str, planned: PlannedAction, sent: ActionResult, attempts: int
    ) -> FinishedAction:
        record = sent.to_record()
        if sent.status == "applied":
            return FinishedAction(action_id, ActionStatus.APPLIED, None, record)
        if sent.status == "dry_run":
            return FinishedAction(
                action_id,
                ActionStatus.SKIPPED,
                f"dry_run: {sent.message}",
                record,
                reached_stripe=False,
            )
        if sent.status == "not_controllable":
            return FinishedAction(
                action_id, ActionStatus.SKIPPED, f"not_controllable: {sent.message}", record
            )
        detail = f"{sent.error_code or sent.http_status}: {sent.message}"
        if sent.retryable and attempts < self.retry.max_attempts:
            delay = self.retry.delay(attempts)
            # Each failed attempt is logged: during a Stripe outage this is the first sign.
            # Stripe's code or HTTP status only, never its message (it may quote the account).
            logger.warning(
                "action %s (%s) failed (%s), attempt %d of %d; retrying in %.0f s",
                planned.idempotency_key,
                planned.kind,
                sent.error_code or sent.http_status or "no answer",
                attempts,
                self.retry.max_attempts,
                delay.total_seconds(),
            )
            retry_at = self.clock() + delay
            return FinishedAction(
                action_id, ActionStatus.FAILED, f"retrying: {detail}", record, retry_at
            )
        logger.error(
            "action %s (%s) failed for good after %d attempts",
            planned.idempotency_key,
            planned.kind,
            attempts,
        )
        return FinishedAction(
            action_id, ActionStatus.FAILED, f"failed after {attempts} attempts: {detail}", record
        )

    def _record(self, finished: list[FinishedAction]) -> DispatchResult:
        result = DispatchResult()
        if not finished:
            return result
        with self.database.write_turn(), self.database.session() as session:
            kept = finish_actions(session=session, owner=self.owner, finished=finished)
            session.commit()
        for outcome, was_kept in zip(finished, kept, strict=True):
            if not was_kept:
                result.lost += 1
            elif outcome.status is ActionStatus.APPLIED:
                result.applied += 1
            elif outcome.status is ActionStatus.SKIPPED:
                result.skipped += 1
            elif outcome.next_attempt_at is not None:
                result.retrying += 1
            else:
                result.failed += 1
        return result


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
