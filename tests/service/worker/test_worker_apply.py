"""The worker on both backends: idempotent effects, ordering, the rescore seam, retries."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import random
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from worker_support import (
    LoggingRescorer,
    RecordingRescorer,
    account,
    account_state,
    charge,
    dispute,
    drain,
    event,
    fixture,
    inbox_row,
    inject,
    payout,
    transactions,
    unique,
)

from service.db.base import utcnow
from service.db.database import Database
from service.db.models import Account, InboxStatus
from service.db.repositories.accounts import disconnected_account_ids, record_account_state
from service.worker.retry import RetryPolicy
from service.worker.worker import BatchResult, Worker

NO_WAIT = RetryPolicy(max_attempts=20, base_seconds=0.0)


def _money_stream(acct: str) -> list[dict]:
    """A small history of one account: charges, a refund, disputes, payouts."""
    direct = charge(amount=5_000, customer="cus_1")
    failed = charge(status="failed", failure_code="card_declined")
    refund = {
        **direct,
        "id": unique("re"),
        "object": "refund",
        "amount": 1_000,
        "status": "succeeded",
    }
    refunded = {**direct, "amount_refunded": 1_000, "refunds": {"object": "list", "data": [refund]}}
    platform = charge(transfer_data={"amount": None, "destination": acct})
    dp = dispute(platform["id"], status="needs_response")
    closed = {**dp, "status": "lost"}
    po = payout(status="paid")
    po_failed = payout(status="failed", failure_code="account_closed")
    return [
        event("charge.succeeded", direct, created=10, account=acct),
        event("charge.failed", failed, created=11, account=acct),
        event("charge.refunded", refunded, created=12, account=acct),
        event("charge.succeeded", platform, created=13),
        event("charge.dispute.created", dp, created=14),
        event("charge.dispute.closed", closed, created=15),
        event("payout.paid", po, created=16, account=acct),
        event("payout.failed", po_failed, created=17, account=acct),
    ]


def test_shuffled_and_duplicated_streams_give_the_same_table(database: Database) -> None:
    in_order, shuffled = unique("acct"), unique("acct")
    stream = _money_stream(in_order)
    inject(database, stream)
    drain(Worker(database=database, retry=NO_WAIT))
    expected = transactions(database, {in_order})
    assert len(expected) == 7  # 2 direct charges, refund, platform charge, dispute, 2 payouts

    # The same events for another account, delivered shuffled, with replays and redeliveries
    # (same content, new event id), processed by a worker seeing them in that order.
    replayed = [{**e, "id": unique("evt")} for e in _money_stream(shuffled) for _ in range(2)]
    rng = random.Random(7)
    rng.shuffle(replayed)
    assert inject(database, replayed + replayed[:5]) == len(replayed)
    drain(Worker(database=database, retry=NO_WAIT))
    got = transactions(database, {shuffled})
    assert _anonymous(got, shuffled) == _anonymous(expected, in_order)


def _anonymous(rows: list[tuple], acct: str) -> list[tuple]:
    # Ids differ between the two streams; compare everything else, sorted by content.
    return sorted((row[1] == acct, *row[2:]) for row in rows)


def test_out_of_order_account_updates_keep_the_newest(database: Database) -> None:
    acct = unique("acct")
    newest = event("account.updated", account(acct, email="new@x.test"), created=200, account=acct)
    older = event("account.updated", account(acct, email="old@x.test"), created=100, account=acct)
    inject(database, [newest])
    drain(Worker(database=database))
    inject(database, [older])
    drain(Worker(database=database))
    state = account_state(database, acct)
    assert state is not None and state["email"] == "new@x.test"
    assert inbox_row(database, older["id"]).status == InboxStatus.DONE


def _capability_event(acct: str, name: str, status: str, created: int) -> dict:
    capability = fixture("capability", id=name, account=acct, status=status)
    return event("capability.updated", capability, created=created, account=acct)


def test_a_capability_event_never_hides_an_older_account_update_delivered_after_it(
    database: Database,
) -> None:
    # Stripe gives no ordering guarantee: a capability.updated (created at 20) may arrive before
    # the account.updated created at 10 that carries what else changed. Both must hold.
    acct = unique("acct")
    worker = Worker(database=database)
    start = account(acct, capabilities={"card_payments": "active", "transfers": "active"})
    inject(database, [event("account.updated", start, created=1, account=acct)])
    drain(worker)
    inject(database, [_capability_event(acct, "card_payments", "inactive", created=20)])
    drain(worker)
    flagged = account(
        acct,
        capabilities={"card_payments": "active", "transfers": "active"},
        requirements={**start["requirements"], "past_due": ["individual.verification.document"]},
        payouts_enabled=False,
    )
    inject(database, [event("account.updated", flagged, created=10, account=acct)])
    drain(worker)
    state = account_state(database, acct)
    assert state is not None
    assert state["requirements"]["past_due"] == ["individual.verification.document"]
    assert state["payouts_enabled"] is False
    assert state["capabilities"]["card_payments"] == "inactive", "the newer capability event"

    # A full account.updated newer than the capability event speaks for it from then on.
    newest = account(acct, capabilities={"card_payments": "pending", "transfers": "active"})
    inject(database, [event("account.updated", newest, created=30, account=acct)])
    drain(worker)
    state = account_state(database, acct)
    assert state is not None and state["capabilities"]["card_payments"] == "pending"
    # And a capability event older than the stored state changes nothing.
    inject(database, [_capability_event(acct, "card_payments", "inactive", created=25)])
    drain(worker)
    state = account_state(database, acct)
    assert state is not None and state["capabilities"]["card_payments"] == "pending"


def test_rescore_seam_is_called_exactly_when_inputs_change(
    database: Database, rescorer: RecordingRescorer
) -> None:
    acct = unique("acct")
    worker = Worker(database=database, rescorer=rescorer)
    base = account(acct, metadata={})
    own = account(acct, metadata={"risk_band": "high"})
    changed = account(acct, metadata={"risk_band": "high"}, payouts_enabled=True)
    steps = [
        (event("account.updated", base, created=1, account=acct), [(acct, "account_updated")]),
        (event("account.updated", own, created=2, account=acct), []),
        (event("account.updated", changed, created=3, account=acct), [(acct, "account_updated")]),
        (event("account.updated", base, created=2, account=acct), []),  # stale
        (event("charge.succeeded", charge(), created=4, account=acct), []),
        (event("payout.paid", payout(), created=5, account=acct), []),
        (event("payout.failed", payout(), created=6, account=acct), [(acct, "payout_failed")]),
        (
            event("charge.dispute.created", dispute("ch_x"), created=7, account=acct),
            [(acct, "dispute_created")],
        ),
    ]
    for evt, expected in steps:
        rescorer.calls.clear()
        inject(database, [evt, evt])
        drain(worker)
        assert rescorer.calls == expected, evt["type"]


def test_unknown_types_are_stored_and_ignored(database: Database) -> None:
    evt = event("plan.created", {"id": "plan_1", "object": "plan"}, created=1)
    inject(database, [evt])
    result = Worker(database=database).run_once()
    assert (result.ignored, result.done) == (1, 0)
    row = inbox_row(database, evt["id"])
    assert row.status == InboxStatus.IGNORED and "plan.created" in (row.last_error or "")


def test_dispute_before_its_charge_waits_then_applies(database: Database) -> None:
    acct = unique("acct")
    platform = charge(on_behalf_of=acct)
    early = event("charge.dispute.created", dispute(platform["id"]), created=2)
    clock = [utcnow()]
    worker = Worker(database=database, clock=lambda: clock[0])
    inject(database, [early])
    assert worker.run_once().retrying == 1
    row = inbox_row(database, early["id"])
    assert row.status == InboxStatus.PROCESSING and "waiting for charge" in (row.last_error or "")
    inject(database, [event("charge.succeeded", platform, created=1)])
    assert worker.run_once().done == 1  # the charge; the dispute waits for its backoff
    clock[0] += worker.retry.delay(1) + dt.timedelta(seconds=1)
    assert worker.run_once().done == 1
    assert {row[3] for row in transactions(database, {acct})} == {"charge", "dispute"}
    done = inbox_row(database, early["id"])
    assert (done.status, done.last_error) == (InboxStatus.DONE, None)


class _ConnectionDropsOnce(RecordingRescorer):
    """The database connection dies during the first rescore, as when PostgreSQL terminates
    the backend; later rescores go through."""

    def rescore(
        self, session: Session, account_id: str, reason: str, event_id: str | None = None
    ) -> None:
        if not self.calls:
            self.calls.append((account_id, "dropped"))
            raise OperationalError("UPDATE …", {}, Exception("server closed the connection"))
        super().rescore(session, account_id, reason, event_id)


def test_a_dropped_connection_costs_the_event_no_attempt(database: Database) -> None:
    incoming = event("payout.failed", payout(status="failed"), created=1, account=unique("acct"))
    inject(database, [incoming])
    worker = Worker(database=database, rescorer=_ConnectionDropsOnce())

    assert worker.run_once().retrying == 1
    row = inbox_row(database, incoming["id"])
    assert (row.status, row.attempts, row.lease_owner) == (InboxStatus.RECEIVED, 0, None)
    assert worker.run_once().done == 1  # claimable at once: no backoff, no lease to wait out
    assert inbox_row(database, incoming["id"]).attempts == 1


def test_dead_letter_after_the_last_attempt(database: Database) -> None:
    broken = event("payout.paid", {"id": "po_broken", "object": "payout"}, created=1, account="a")
    inject(database, [broken])
    clock = [utcnow()]
    policy = RetryPolicy(max_attempts=3, base_seconds=10.0)
    worker = Worker(database=database, retry=policy, clock=lambda: clock[0])
    outcomes = []
    for attempt in range(1, 5):
        result = worker.run_once()
        outcomes.append((result.retrying, result.dead))
        clock[0] += dt.timedelta(seconds=10 * 2 ** (attempt - 1) - 1)
        assert worker.run_once().claimed == 0  # backoff not over yet
        clock[0] += dt.timedelta(seconds=2)
    assert outcomes == [(1, 0), (1, 0), (0, 1), (0, 0)]
    row = inbox_row(database, broken["id"])
    assert (row.status, row.attempts) == (InboxStatus.DEAD, 3)
    assert row.last_error and "KeyError" in row.last_error


def test_expired_lease_is_taken_over_and_applied_once(database: Database) -> None:
    acct = unique("acct")
    evt = event("payout.failed", payout(), created=1, account=acct)
    inject(database, [evt])
    logged = LoggingRescorer(database)
    clock = [utcnow()]
    crashed = Worker(database=database, rescorer=logged, clock=lambda: clock[0])
    with database.session() as session:
        assert len(crashed._claim(session, 10)) == 1  # claims, then stalls before processing
        session.commit()
    other = Worker(database=database, rescorer=logged, clock=lambda: clock[0])
    assert other.run_once().claimed == 0  # the lease is still held
    clock[0] += crashed.lease + dt.timedelta(seconds=1)
    assert other.run_once().done == 1
    late = BatchResult()
    crashed._process(inbox_row(database, evt["id"]).id, late)  # the stalled worker wakes up
    assert late.lost == 1
    assert logged.committed(database).count((acct, "payout_failed")) == 1
    assert len(transactions(database, {acct})) == 1
    assert inbox_row(database, evt["id"]).attempts == 2


@pytest.fixture(scope="module")
def shared(new_database_url: Callable[[], str]) -> Iterator[Database]:
    """A database of this module's own: draining must not meet other tests' events."""
    database = Database.connect(new_database_url())
    database.ensure_schema()
    yield database
    database.dispose()


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(range(8)), repeats=st.lists(st.integers(0, 7), max_size=4))
def test_any_delivery_order_gives_the_in_order_table(
    shared: Database, order: list[int], repeats: list[int]
) -> None:
    reference, reordered = unique("acct"), unique("acct")
    inject(shared, _money_stream(reference))
    drain(Worker(database=shared, retry=NO_WAIT))
    stream = _money_stream(reordered)
    delivered = [stream[i] for i in order] + [{**stream[i], "id": unique("evt")} for i in repeats]
    inject(shared, delivered)
    drain(Worker(database=shared, retry=NO_WAIT))
    assert _anonymous(transactions(shared, {reordered}), reordered) == _anonymous(
        transactions(shared, {reference}), reference
    )


def _state_stream(acct: str) -> list[dict]:
    """Two full account.updated and three capability.updated events of one account."""
    first = account(acct, capabilities={"card_payments": "active", "transfers": "active"})
    second = account(
        acct,
        capabilities={"card_payments": "active", "transfers": "pending"},
        payouts_enabled=False,
    )
    return [
        event("account.updated", first, created=10, account=acct),
        _capability_event(acct, "card_payments", "inactive", created=20),
        event("account.updated", second, created=30, account=acct),
        _capability_event(acct, "card_payments", "pending", created=40),
        _capability_event(acct, "transfers", "active", created=50),
    ]


def _without_id(state: dict | None) -> dict:
    assert state is not None
    return {key: value for key, value in state.items() if key != "id"}


def _inline_copy(database: Database, acct: str) -> None:
    """What POST /v1/scores keeps of an inline Account: stamped when it arrived (now, later
    than every event of `_state_stream`), with statuses of its own."""
    copy = account(acct, capabilities={"card_payments": "active", "transfers": "active"})
    with database.session() as session, session.begin():
        record_account_state(
            session=session, account_id=acct, state=copy, as_of=utcnow(), inline=True
        )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(range(6)))
def test_any_delivery_order_gives_the_in_order_account_state(
    shared: Database, order: list[int]
) -> None:
    # Five Stripe events and, at step 5, a caller's inline copy: Stripe's word ends the same
    # whatever order they arrive in, and the copy never outranks it.
    reference, reordered = unique("acct"), unique("acct")
    inject(shared, _state_stream(reference))
    drain(Worker(database=shared, retry=NO_WAIT))
    stream = _state_stream(reordered)
    for index in order:  # one at a time: the worker sees them in exactly this order
        if index == len(stream):
            _inline_copy(shared, reordered)
            continue
        inject(shared, [stream[index]])
        drain(Worker(database=shared, retry=NO_WAIT))
    expected = _without_id(account_state(shared, reference))
    assert expected["capabilities"] == {"card_payments": "pending", "transfers": "active"}
    assert _without_id(account_state(shared, reordered)) == expected


def test_an_import_keeps_the_capability_events_newer_than_its_export(database: Database) -> None:
    acct = unique("acct")
    start = account(acct, capabilities={"card_payments": "active", "transfers": "active"})
    inject(database, [event("account.updated", start, created=100, account=acct)])
    inject(database, [_capability_event(acct, "transfers", "inactive", created=300)])
    drain(Worker(database=database))
    exported = account(acct, capabilities={"card_payments": "active", "transfers": "active"})
    with database.session() as session, session.begin():
        assert record_account_state(
            session=session,
            account_id=acct,
            state=exported,
            as_of=dt.datetime.fromtimestamp(200, dt.UTC),
        )
    state = account_state(database, acct)
    assert state is not None and state["capabilities"]["transfers"] == "inactive"


def test_a_deauthorization_is_remembered_from_its_latest_report(
    database: Database, rescorer: RecordingRescorer
) -> None:
    app = {"id": "ca_1", "object": "application", "name": None}
    first = event(
        "account.application.deauthorized", app, created=1_700_000_100, account="acct_1Gone"
    )
    again = event(
        "account.application.deauthorized", app, created=1_700_000_900, account="acct_1Gone"
    )
    inject(database, [again, first])

    drain(Worker(database=database, rescorer=rescorer))

    with database.session() as session:
        stored = session.get(Account, "acct_1Gone")
        assert stored is not None and stored.deauthorized_at is not None
        assert stored.deauthorized_at.timestamp() == 1_700_000_900
        assert disconnected_account_ids(session=session, account_ids=["acct_1Gone"]) == {
            "acct_1Gone"
        }
    assert rescorer.calls == []


def _connection_history(account_id: str) -> list[dict]:
    """Disconnected at 100, connected again at 200, disconnected again at 300."""
    app = {"id": "ca_1", "object": "application", "name": None}
    kinds = ("deauthorized", "authorized", "deauthorized")
    return [
        event(f"account.application.{kind}", app, created=1_700_000_000 + t, account=account_id)
        for kind, t in zip(kinds, (100, 200, 300), strict=True)
    ]


def _disconnected(database: Database, rescorer: RecordingRescorer, events: list[dict]) -> bool:
    inject(database, events)
    drain(Worker(database=database, rescorer=rescorer))
    account_id = events[0]["account"]
    with database.session() as session:
        return account_id in disconnected_account_ids(session=session, account_ids=[account_id])


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_reconnecting_ends_a_disconnection(
    database: Database, rescorer: RecordingRescorer, order: tuple[int, int]
) -> None:
    history = _connection_history(unique("acct_1Back"))
    assert _disconnected(database, rescorer, [history[i] for i in order]) is False


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_the_last_connection_change_wins_whatever_the_delivery_order(
    database: Database, rescorer: RecordingRescorer, order: tuple[int, ...]
) -> None:
    history = _connection_history(unique("acct_1Gone"))
    assert _disconnected(database, rescorer, [history[i] for i in order]) is True


def test_a_failing_event_is_logged_without_the_data_it_carried(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    # A signed event whose field fails to convert: `int("<e-mail>")` quotes it in its message.
    secret = "jane.provider@example.org"
    broken = event("charge.succeeded", charge(amount=secret), created=1, account="acct_pii")
    inject(database, [broken])
    caplog.set_level(logging.DEBUG)
    result = Worker(database=database).run_once()
    assert result.retrying == 1
    failures = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert failures, "the failure is logged"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    logged += "".join(str(record.exc_info) for record in caplog.records if record.exc_info)
    assert "ValueError" in logged and "money.py" in logged  # what broke, and where
    assert secret not in logged and "jane" not in logged
