"""One worker: claim a batch of inbox events, process each in its own transaction, record outcomes.

At-least-once processing, at-most-once effects: an event's effects and its `done` mark commit
together, and only while this worker still holds the lease; if the lease ran out and another
worker took the event over, this worker rolls its effects back.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from service.db.base import utcnow
from service.db.database import UNREACHABLE, Database
from service.db.models import InboxEvent, InboxStatus
from service.db.repositories.inbox import claim_events, finish_event, give_back_event
from service.errors import StoreUnavailable
from service.events.effects import AwaitingCharge
from service.events.interpret import interpret_event
from service.log_safety import failure_without_message
from service.worker.apply import apply_effects, stored_charge_account
from service.worker.rescorer import NoRescore, Rescorer
from service.worker.retry import RetryPolicy, retry_later

logger = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


def worker_name() -> str:
    """A name unique to this worker: host, process and a random suffix."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass
class BatchResult:
    """How the events of one batch ended."""

    done: int = 0
    ignored: int = 0
    retrying: int = 0
    dead: int = 0
    lost: int = 0

    @property
    def claimed(self) -> int:
        """Events claimed in the batch."""
        return self.done + self.ignored + self.retrying + self.dead + self.lost


class LeaseLost(Exception):
    """The lease ran out and another worker took the event over; roll back."""


@dataclass
class Worker:
    """Processes inbox events of one database; safe to run many at once (threads or processes)."""

    database: Database
    rescorer: Rescorer = field(default_factory=NoRescore)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    lease: dt.timedelta = dt.timedelta(seconds=60)
    name: str = field(default_factory=worker_name)
    clock: Clock = utcnow

    def run_once(self, batch: int = 20) -> BatchResult:
        """Claim up to `batch` events and process each; returns how they ended."""
        with self.database.write_turn(), self.database.session() as session:
            claimed = [event.id for event in self._claim(session, batch)]
            session.commit()
        result = BatchResult()
        for inbox_id in claimed:
            self._process(inbox_id, result)
        return result

    def _claim(self, session: Session, batch: int) -> list[InboxEvent]:
        return claim_events(
            session=session, worker=self.name, limit=batch, lease=self.lease, now=self.clock()
        )

    def _process(self, inbox_id: int, result: BatchResult) -> None:
        try:
            with self.database.write_turn(), self.database.session() as session:
                outcome = self._apply(session, inbox_id)
                session.commit()
        except LeaseLost:
            result.lost += 1
            return
        except AwaitingCharge as exc:
            self._fail(inbox_id, str(exc), result)
            return
        except (StoreUnavailable, *UNREACHABLE) as exc:
            # Nothing of the event was committed; a dropped connection is the database's
            # trouble, not the event's, so it costs no attempt (the runner backs off if the
            # database stays away).
            logger.warning("event %s: database connection lost (%s)", inbox_id, type(exc).__name__)
            self._give_back(inbox_id, result)
            return
        except Exception as exc:
            # Logged by type only: messages of database errors may quote account data.
            logger.error("event %s failed: %s", inbox_id, failure_without_message(exc))
            self._fail(inbox_id, f"{type(exc).__name__} while applying the event", result)
            return
        if outcome == InboxStatus.IGNORED:
            result.ignored += 1
        else:
            result.done += 1

    def _apply(self, session: Session, inbox_id: int) -> InboxStatus:
        event = session.get(InboxEvent, inbox_id)
        if event is None:
            raise LeaseLost
        interpretation = interpret_event(
            event.payload, lambda charge_id: stored_charge_account(session, charge_id)
        )
        apply_effects(session, interpretation.effects, self.rescorer, event.event_id)
        ignored = interpretation.ignored is not None
        if not finish_event(session=session, inbox_id=inbox_id, worker=self.name, ignored=ignored):
            session.rollback()
            raise LeaseLost
        if ignored:
            event.last_error = interpretation.ignored
            session.flush()
            return InboxStatus.IGNORED
        return InboxStatus.DONE

    def _give_back(self, inbox_id: int, result: BatchResult) -> None:
        try:
            with self.database.write_turn(), self.database.session() as session:
                given_back = give_back_event(session=session, inbox_id=inbox_id, worker=self.name)
                session.commit()
        except (StoreUnavailable, *UNREACHABLE):
            given_back = True  # still down: the lease runs out and the event is claimed again
        if given_back:
            result.retrying += 1
        else:
            result.lost += 1

    def _fail(self, inbox_id: int, error: str, result: BatchResult) -> None:
        with self.database.write_turn(), self.database.session() as session:
            status = retry_later(
                session=session,
                inbox_id=inbox_id,
                worker=self.name,
                error=error,
                policy=self.retry,
                now=self.clock(),
            )
            session.commit()
        if status is None:
            result.lost += 1
        elif status == InboxStatus.DEAD:
            logger.error("event %s is dead after its last attempt: %s", inbox_id, error)
            result.dead += 1
        else:
            result.retrying += 1
