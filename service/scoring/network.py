"""The cross-account network online: the same `NetworkIndex` training builds, from the database.

Link features (accounts sharing a card, customer, payout bank account or document, and how
many of those went bad) need every account's keys. The service rebuilds the index from what
its database holds — Stripe states, document hashes, money movements — on a background thread
every `network_refresh_seconds`, and each score reads the latest one: a link made minutes ago
may be missed until the next rebuild, never half-seen. An account counts as bad from when an
analyst rejected it in the review queue, or from when Stripe showed it `rejected.*`.

A rebuild reads every stored account and transaction: its cost grows with the database (0.9 s
of CPU for 70k accounts, docs/benchmarks.md), and it holds the interpreter while it runs;
`network_refresh_seconds = 0` turns the network off, and link features are then NaN
("unknown"), as in `features.compute` without a network.

The first index is built before the process serves (`start`). Until one exists the process is
not ready: the API answers scores with 503 and the worker files no events, because a score
without the network takes every link feature as unknown, which moves the score (and, acted on,
an account's payout schedule) for as long as the first build takes.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from features import NetworkIndex, build_network
from features.transactions.table import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, build_table
from service.db.database import Database
from service.db.models import Account, Document, Review, ReviewStatus, Transaction

logger = logging.getLogger(__name__)
_FIRST_BUILD_RETRY_S = 5.0
_COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)


@dataclass(frozen=True)
class _Hash:
    sha256: str


def load_network(session: Session) -> NetworkIndex:
    """Build the index from every stored account, document hash, transaction and bad label."""
    accounts: dict[str, dict[str, Any]] = {}
    rejected: list[tuple[str, int]] = []
    state = Account.stripe_state
    # The three parts of a Stripe state the network reads, extracted by the database: loading
    # whole states as ORM objects took 3.3 s for 70k accounts, most of it parsing JSON.
    for account_id, state_at, created, external, reason in session.execute(
        select(
            Account.id,
            Account.stripe_state_at,
            state["created"],
            state["external_accounts"],
            state[("requirements", "disabled_reason")].as_string(),
        ).where(state.is_not(None))
    ):
        accounts[account_id] = {"created": created, "external_accounts": external}
        if str(reason or "").startswith("rejected.") and state_at is not None:
            rejected.append((account_id, int(state_at.timestamp())))
    rejected += [
        (review.account_id, int(review.resolved_at.timestamp()))
        for review in session.scalars(
            select(Review).where(Review.status == ReviewStatus.RESOLVED, Review.outcome == "reject")
        )
        if review.resolved_at is not None
    ]
    evidence: dict[str, list[_Hash]] = {}
    for account_id, sha256 in session.execute(select(Document.account_id, Document.sha256)):
        evidence.setdefault(account_id, []).append(_Hash(sha256))
    rows = session.execute(
        select(*(getattr(Transaction, "account_id" if c == "account" else c) for c in _COLUMNS))
    )
    frame = pd.DataFrame.from_records(list(rows), columns=list(_COLUMNS))
    labels = pd.DataFrame(
        {
            "account": [account_id for account_id, _ in rejected],
            "label": [1] * len(rejected),
            "labeled_at": [moment for _, moment in rejected],
        }
    )
    return build_network(build_table(frame), accounts, evidence, labels)


class NetworkCache:
    """The latest index and the thread that rebuilds it; `current()` is None until the first
    build succeeds (or when the network is turned off)."""

    def __init__(self, database: Database, refresh_seconds: float) -> None:
        self.database = database
        self.refresh_seconds = refresh_seconds
        self._index: NetworkIndex | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="network-builder", daemon=True)

    def current(self) -> NetworkIndex | None:
        """The index to score one request with (one reference read: never a half-built one)."""
        return self._index

    def is_ready(self) -> bool:
        """Whether scores may be made: the index was built, or the network is turned off."""
        return self.refresh_seconds <= 0 or self._index is not None

    def refresh(self) -> None:
        """Rebuild the index now, on the caller's thread."""
        with self.database.session() as session:
            self._index = load_network(session)

    def start(self) -> NetworkCache:
        """Build the first index now, then again in the background every `refresh_seconds`
        (nothing when it is 0). A first build that fails (the database is down) is retried in
        the background; the process stays not ready until one succeeds."""
        if self.refresh_seconds > 0:
            self._refresh_logging_failures()
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop rebuilding (a build in progress finishes first)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=timeout)

    def _run(self) -> None:
        while not self._stop.wait(self._next_build_in()):
            self._refresh_logging_failures()

    def _next_build_in(self) -> float:
        # Until a first index exists, retry soon rather than a whole period later.
        return self.refresh_seconds if self._index is not None else _FIRST_BUILD_RETRY_S

    def _refresh_logging_failures(self) -> None:
        try:
            self.refresh()
        except Exception as exc:
            # A database that is down is waited out; scoring keeps the last index. Logged by
            # type only: database errors may quote account data.
            logger.error("building the account network failed: %s", type(exc).__name__)
