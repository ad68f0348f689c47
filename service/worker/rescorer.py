"""The seam between event processing and scoring: who is told that an account needs a new score."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session


class Rescorer(Protocol):
    """Scores an account again after an event changed its inputs.

    Called inside the event's transaction: whatever it writes commits together with the
    event's effects, or not at all. The scoring use case implements this.
    """

    def rescore(self, session: Session, account_id: str, reason: str) -> None:
        """Re-score `account_id`; `reason` is a short code such as `dispute_created`."""


class NoRescore:
    """The default until scoring exists: records nothing.

    The scoring issue replaces it by passing its own Rescorer to `Worker(...)` and to
    `start_inprocess_worker(...)`.
    """

    def rescore(self, session: Session, account_id: str, reason: str) -> None:
        """Do nothing (no scoring use case is wired yet)."""
        del session, account_id, reason
