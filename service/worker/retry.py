"""Failed attempts: exponential backoff, then dead-letter with the reason.

The inbox has no separate "retry at" column, so a failed event waits as an ownerless lease
(status `processing`, no `lease_owner`) that expires at the retry time: `claim_events`
takes expired leases, exactly as it takes those of a worker that died.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.db.models import InboxEvent, InboxStatus

MAX_ERROR_CHARS = 500


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how soon to retry: delay = base * 2**(attempt-1), at most `cap`."""

    max_attempts: int = 8
    base_seconds: float = 5.0
    cap_seconds: float = 900.0

    def delay(self, attempts: int) -> dt.timedelta:
        """The wait before the attempt after `attempts` failed ones."""
        seconds = min(self.base_seconds * 2 ** max(attempts - 1, 0), self.cap_seconds)
        return dt.timedelta(seconds=seconds)


def retry_later(
    *,
    session: Session,
    inbox_id: int,
    worker: str,
    error: str,
    policy: RetryPolicy,
    now: dt.datetime,
) -> InboxStatus | None:
    """Record a failed attempt: wait for the backoff delay, or dead once attempts run out.

    Returns the new status, or None if `worker` no longer holds the lease (another worker
    took the event over). `error` is shown to operators and must hold no account data.
    """
    event = session.get(InboxEvent, inbox_id, with_for_update=True, populate_existing=True)
    if event is None or event.status != InboxStatus.PROCESSING or event.lease_owner != worker:
        return None
    event.last_error = error[:MAX_ERROR_CHARS]
    event.lease_owner = None
    if event.attempts >= policy.max_attempts:
        event.status = InboxStatus.DEAD
        event.lease_expires_at = None
        event.processed_at = now
    else:
        event.lease_expires_at = now + policy.delay(event.attempts)
    session.flush()
    return event.status
