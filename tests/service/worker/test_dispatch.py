"""The dispatcher against the real Stripe emulator over HTTP, on both database backends: a
decision's actions reach Stripe once, a newer decision supersedes unsent ones, storms are
ridden out without a second mutation, and what the platform may not change is left alone."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import stripe
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from svc_webhook_endpoint import seed_oauth_standard

from service.db.base import utcnow
from service.db.database import Database
from service.db.models import Account, Action, ActionAttempt, ActionStatus
from service.db.repositories import action_dispatch
from service.db.repositories.accounts import record_account_state
from service.db.repositories.action_dispatch import (
    claim_actions,
    count_unsent_actions,
    retry_failed_actions,
)
from service.db.repositories.actions import plan_action, requests_for_actions
from service.db.repositories.decisions import NewDecision, record_decision
from service.domain.actions import PlannedAction
from service.domain.decision import decide
from service.domain.facts import facts_from_account
from service.domain.policy_yaml import load_default_policy
from service.scoring.champion import ChampionModel
from service.settings import Settings
from service.stripe_emulator.config import EmulatorConfig
from service.stripe_emulator.server import EmulatorServer
from service.stripe_gateway.dry_run import DryRunGateway
from service.stripe_gateway.port import ActionResult
from service.stripe_gateway.retry import Backoff
from service.stripe_gateway.sdk_gateway import SdkStripeGateway
from service.usecases.store_actions import store_actions
from service.worker.dispatch import RESTATED_KINDS, Dispatcher, DispatchResult
from service.worker.retry import RetryPolicy
from service.worker.wiring import build_stripe_loop

API_KEY = "sk_test_dispatch"
_decisions = itertools.count(1)


@pytest.fixture(scope="module")
def emulator_server() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(port=0, seed=5, capability_review_seconds=None)) as server:
        yield server


@pytest.fixture
def emulator(emulator_server: EmulatorServer) -> EmulatorServer:
    """The module's emulator, emptied for this test."""
    httpx.post(f"{emulator_server.base_url}/_emulator/reset").raise_for_status()
    return emulator_server


@pytest.fixture
def control(emulator: EmulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emulator.base_url) as http:
        yield http


@pytest.fixture
def sdk(emulator: EmulatorServer) -> stripe.StripeClient:
    return stripe.StripeClient(API_KEY, base_addresses={"api": emulator.base_url})


def _gateway(emulator: EmulatorServer, max_attempts: int = 4) -> SdkStripeGateway:
    return SdkStripeGateway(
        API_KEY,
        emulator.base_url,
        max_attempts=max_attempts,
        backoff=Backoff(base_seconds=0.01, cap_seconds=0.02),
        rng=random.Random(1),
    )


def _custom_account(sdk: stripe.StripeClient, database: Database) -> dict[str, Any]:
    requested = {"card_payments": {"requested": True}, "transfers": {"requested": True}}
    account = sdk.v1.accounts.create(
        {"type": "custom", "country": "US", "capabilities": requested}
    ).to_dict()
    _store(database, account)
    return account


def _store(database: Database, account: dict[str, Any]) -> None:
    with database.session() as session:
        record_account_state(
            session=session, account_id=account["id"], state=account, as_of=utcnow()
        )
        session.commit()


def _decide(database: Database, account: dict[str, Any], score: float) -> str:
    decision_id = f"dec_dispatch{next(_decisions):04d}"
    policy = load_default_policy()
    now = utcnow()
    decision = decide(decision_id, score, facts_from_account(account), policy, "test/1", now)
    with database.session() as session:
        record_decision(
            session=session,
            decision=NewDecision(
                id=decision_id,
                account_id=account["id"],
                as_of=now,
                triggered_by="test",
                inputs_digest="0" * 64,
                features={},
                score=score,
                band=decision.band,
                segment=decision.segment,
                reasons=[],
                model_version="test/1",
                policy_version=policy.policy_hash,
            ),
        )
        store_actions(session, decision_id, account["id"], decision.actions)
        session.commit()
    return decision_id


def _mutations(control: httpx.Client) -> list[dict[str, Any]]:
    """Mutations the dispatcher caused (the tests' own account creations aside)."""
    entries = control.get("/_emulator/requests").json()["data"]
    return [
        entry
        for entry in entries
        if entry["mutated"] and str(entry["idempotency_key"]).startswith("dec_")
    ]


def _statuses(database: Database, decision_id: str) -> dict[str, ActionStatus]:
    with database.session() as session:
        rows = session.query(Action).filter(Action.decision_id == decision_id).all()
        return {row.idempotency_key.split(":", 1)[1]: row.status for row in rows}


def test_a_decision_reaches_stripe_once(database, emulator, control, sdk) -> None:
    account = _custom_account(sdk, database)
    decision_id = _decide(database, account, score=0.6)  # severe: hold, un-request, mirror
    dispatcher = Dispatcher(database=database, gateway=_gateway(emulator))
    with database.session() as session:
        waiting = count_unsent_actions(session=session)

    first = dispatcher.run_once()
    again = dispatcher.run_once()

    with database.session() as session:
        assert (waiting, count_unsent_actions(session=session)) == (3, 0)

    assert (first.applied, first.failed, again.claimed) == (3, 0, 0)
    statuses = _statuses(database, decision_id)
    assert statuses["payout_schedule"] == statuses["metadata"] == ActionStatus.APPLIED
    assert statuses["capability:card_payments"] == ActionStatus.APPLIED
    assert statuses["reject"] == ActionStatus.SKIPPED  # waits for an analyst
    stripe_account = sdk.v1.accounts.retrieve(account["id"]).to_dict()
    assert stripe_account["settings"]["payouts"]["schedule"]["interval"] == "manual"
    assert stripe_account["metadata"]["risk_band"] == "severe"
    card = sdk.v1.accounts.capabilities.retrieve(account["id"], "card_payments")
    assert card.requested is False
    assert len(_mutations(control)) == 3


def test_a_newer_decision_supersedes_unsent_actions(database, emulator, sdk) -> None:
    account = _custom_account(sdk, database)
    older = _decide(database, account, score=0.6)
    newer = _decide(database, account, score=0.3)  # high: hold payouts, no un-request

    Dispatcher(database=database, gateway=_gateway(emulator)).run_once()

    stripe_side = {k: v for k, v in _statuses(database, older).items() if k != "review"}
    assert set(stripe_side.values()) == {ActionStatus.SKIPPED}
    assert _statuses(database, newer)["payout_schedule"] == ActionStatus.APPLIED
    stripe_account = sdk.v1.accounts.retrieve(account["id"]).to_dict()
    assert stripe_account["metadata"]["risk_band"] == "high"
    assert sdk.v1.accounts.capabilities.retrieve(account["id"], "card_payments").requested


@pytest.mark.parametrize("concurrency", [1, 4], ids=["one-account-at-a-time", "four-at-once"])
def test_storms_are_ridden_out_and_each_action_applies_once(
    database, emulator, control, sdk, concurrency
) -> None:
    accounts = [_custom_account(sdk, database) for _ in range(4)]
    for account in accounts:
        _decide(database, account, score=0.6)
    control.post("/_emulator/faults", json={"rate_429": 0.35, "rate_500": 0.35}).raise_for_status()
    clock = [utcnow()]
    dispatcher = Dispatcher(
        database=database,
        gateway=_gateway(emulator, max_attempts=2),
        retry=RetryPolicy(max_attempts=50, base_seconds=1.0, cap_seconds=1.0),
        clock=lambda: clock[0],
        concurrency=concurrency,
    )
    rounds = 0
    while rounds < 60:
        rounds += 1
        result = dispatcher.run_once(limit=50)
        clock[0] += dt.timedelta(seconds=2)
        if result.claimed == 0:
            break
    dispatcher.close()

    with database.session() as session:
        sendable = session.query(Action).filter(Action.kind != "review", Action.kind != "reject")
        assert {row.status for row in sendable} == {ActionStatus.APPLIED}
        retried = [row for row in sendable if row.attempts > 1]
    keys = [entry["idempotency_key"] for entry in _mutations(control)]
    assert len(keys) == len(set(keys)) == 3 * len(accounts)
    assert retried, "the storm should have made at least one action wait for a retry"


def test_accounts_are_sent_to_at_once_each_in_order(database, emulator, control, sdk) -> None:
    accounts = [_custom_account(sdk, database) for _ in range(4)]
    for account in accounts:
        _decide(database, account, score=0.6)
    latency = 0.2
    control.post("/_emulator/faults", json={"latency_ms": latency * 1000}).raise_for_status()
    dispatcher = Dispatcher(database=database, gateway=_gateway(emulator), concurrency=4)
    try:
        result = dispatcher.run_once(limit=50)
    finally:
        dispatcher.close()

    assert result.applied == 3 * len(accounts)
    sent = sorted(_mutations(control), key=lambda entry: entry["time"])
    by_account: dict[str, list[float]] = {}
    for entry in sent:
        by_account.setdefault(entry["path"].split("/")[3], []).append(entry["time"])
    # One account at a time: each request waits for the previous answer (>= the latency).
    for times in by_account.values():
        assert len(times) == 3
        assert all(b - a >= latency * 0.9 for a, b in itertools.pairwise(times))
    # Several accounts at once: some requests arrive while another is still being answered.
    assert min(b["time"] - a["time"] for a, b in itertools.pairwise(sent)) < latency / 2


def test_a_disconnected_account_is_left_alone(database, emulator, control, sdk) -> None:
    account = _custom_account(sdk, database)
    decision_id = _decide(database, account, score=0.6)
    with database.session() as session:
        stored = session.get(Account, account["id"])
        assert stored is not None
        stored.deauthorized_at = utcnow()
        session.commit()

    result = Dispatcher(database=database, gateway=_gateway(emulator)).run_once()

    assert (result.skipped, result.applied) == (3, 0)
    assert _mutations(control) == []
    with database.session() as session:
        errors = {row.error for row in session.query(Action).filter_by(decision_id=decision_id)}
    assert any("disconnected the platform" in (error or "") for error in errors)


def test_what_stripe_refuses_is_recorded_not_controllable(database, emulator, control, sdk) -> None:
    account = seed_oauth_standard(control, "acct_1DispatchOauth01")
    _store(database, account)
    decision_id = _decide(database, account, score=0.01)
    with database.session() as session:
        # Planned by hand: the domain itself never plans this for an account it cannot control.
        plan_action(
            session=session,
            decision_id=decision_id,
            account_id=account["id"],
            kind="payout_schedule",
            params={"settings": {"payouts": {"schedule": {"interval": "manual"}}}},
            idempotency_key=f"{decision_id}:payout_schedule:by_hand",
        )
        session.commit()

    Dispatcher(database=database, gateway=_gateway(emulator)).run_once()

    with database.session() as session:
        row = session.query(Action).filter_by(
            idempotency_key=f"{decision_id}:payout_schedule:by_hand"
        )
        refused = row.one()
    assert refused.status == ActionStatus.SKIPPED
    assert (refused.error or "").startswith("not_controllable:")
    schedule = sdk.v1.accounts.retrieve(account["id"]).to_dict()["settings"]["payouts"]["schedule"]
    assert schedule["interval"] != "manual"


def test_dry_run_records_without_sending(database, control, sdk) -> None:
    account = _custom_account(sdk, database)
    decision_id = _decide(database, account, score=0.6)
    gateway = DryRunGateway()

    result = Dispatcher(database=database, gateway=gateway).run_once()

    assert (result.skipped, len(gateway.sent)) == (3, 3)
    assert _mutations(control) == []
    with database.session() as session:
        rows = session.query(Action).filter_by(decision_id=decision_id, kind="payout_schedule")
        assert (rows.one().error or "").startswith("dry_run:")


def test_a_dry_run_loop_settles_a_whole_backlog_in_one_claim(database, sdk) -> None:
    accounts = [_custom_account(sdk, database) for _ in range(8)]
    for account in accounts:
        _decide(database, account, score=0.6)
    settings = Settings(database_url="sqlite://", stripe_api_key=None)
    loop = build_stripe_loop(settings, database, ChampionModel())
    assert isinstance(loop.gateway, DryRunGateway)

    result = loop.dispatcher.run_once(limit=5)  # the worker's batch; a dry run claims more

    assert (result.claimed, result.skipped) == (3 * len(accounts), 3 * len(accounts))
    assert loop.dispatcher.run_once(limit=5).claimed == 0


class _TakenOverMidBatch(DryRunGateway):
    """A dry run during whose first call another dispatcher takes the batch over."""

    def __init__(self, rival: Dispatcher) -> None:
        super().__init__()
        self.rival = rival
        self.rival_result: DispatchResult | None = None

    def apply(self, action: PlannedAction) -> ActionResult:
        if self.rival_result is None:
            self.rival_result = self.rival.run_once()
        return super().apply(action)


def test_a_dispatcher_that_lost_its_leases_records_nothing(database, sdk) -> None:
    account = _custom_account(sdk, database)
    decision_id = _decide(database, account, score=0.6)
    gateway = _TakenOverMidBatch(Dispatcher(database=database, gateway=DryRunGateway()))
    # A zero lease has run out by the time the rival claims.
    slow = Dispatcher(database=database, gateway=gateway, lease=dt.timedelta(0))

    with database.session() as session:
        planned = session.query(Action).filter_by(status=ActionStatus.PLANNED).all()
        planned_ids = {row.id for row in planned}
    assert len(planned_ids) == 3

    result = slow.run_once()

    assert gateway.rival_result is not None and gateway.rival_result.skipped == 3
    assert (result.lost, result.skipped, result.applied) == (3, 0, 0)
    with database.session() as session:
        rows = session.query(Action).filter_by(decision_id=decision_id).all()
        sent = [row for row in rows if row.id in planned_ids]
        assert {row.lease_owner for row in sent} == {None}
        assert {row.status for row in sent} == {ActionStatus.SKIPPED}
        # Recorded once, by the rival: the loser's outcome would have counted a second attempt.
        assert [row.attempts for row in sent] == [1, 1, 1]


def test_each_decisions_actions_reach_stripe_in_the_policys_order(
    database, emulator, control, sdk
) -> None:
    accounts = [_custom_account(sdk, database) for _ in range(4)]
    planned = {}
    for account in accounts:
        decision_id = _decide(database, account, score=0.6)
        facts = facts_from_account(account)
        plan = decide(decision_id, 0.6, facts, load_default_policy(), "test/1", utcnow())
        planned[account["id"]] = [a.idempotency_key for a in plan.actions if a.sends_to_stripe]
    dispatcher = Dispatcher(database=database, gateway=_gateway(emulator), concurrency=4)
    try:
        dispatcher.run_once(limit=50)
    finally:
        dispatcher.close()

    sent: dict[str, list[str]] = {}
    for entry in sorted(_mutations(control), key=lambda entry: entry["time"]):
        sent.setdefault(entry["path"].split("/")[3], []).append(entry["idempotency_key"])
    assert all(len(keys) == 3 for keys in planned.values())
    assert sent == planned


def _fail_for_good(
    database: Database, emulator: EmulatorServer, control: httpx.Client
) -> Dispatcher:
    """A dispatcher whose one attempt at every waiting action meets a Stripe outage (each
    fails for good), with the outage over once it returns."""
    control.post("/_emulator/faults", json={"rate_500": 1.0}).raise_for_status()
    dispatcher = Dispatcher(
        database=database,
        gateway=_gateway(emulator, max_attempts=1),
        retry=RetryPolicy(max_attempts=1),
    )
    dispatcher.run_once(limit=50)
    control.post("/_emulator/faults", json={"rate_500": 0.0}).raise_for_status()
    return dispatcher


def test_an_action_that_failed_for_good_is_sent_again_once_retried(
    database, emulator, control, sdk
) -> None:
    account = _custom_account(sdk, database)
    decision_id = _decide(database, account, score=0.6)
    dispatcher = _fail_for_good(database, emulator, control)
    assert set(_sent_statuses(database, decision_id)) == {ActionStatus.FAILED}

    with database.session() as session:
        assert retry_failed_actions(session=session, now=utcnow()).retried == 3
        session.commit()
    assert dispatcher.run_once(limit=50).applied == 3
    assert set(_sent_statuses(database, decision_id)) == {ActionStatus.APPLIED}
    keys = [entry["idempotency_key"] for entry in _mutations(control)]
    assert len(set(keys)) == 3, "each action kept its idempotency key"
    # Every answer Stripe gave is kept, in order: the outage's survives the success.
    with database.session() as session:
        actions = session.query(Action).filter(Action.decision_id == decision_id).all()
        requests = requests_for_actions(session=session, action_ids=[a.id for a in actions])
    sent = [action for action in actions if action.kind in RESTATED_KINDS]
    assert sent and all(action.status is ActionStatus.APPLIED for action in sent)
    for action in sent:
        failed, applied = requests[action.id]
        assert (failed.status, applied.status) == (ActionStatus.FAILED, ActionStatus.APPLIED)
        assert failed.stripe_response is not None
        assert failed.stripe_response["http_status"] == 500
        assert applied.stripe_response == action.stripe_response
        assert failed.attempted_at <= applied.attempted_at
    unsent = {action.id for action in actions} - {action.id for action in sent}
    assert not unsent & requests.keys(), "actions that never reached Stripe made no request"


def test_a_dry_run_makes_no_request_to_keep(database, sdk) -> None:
    account = _custom_account(sdk, database)
    decision_id = _decide(database, account, score=0.6)
    Dispatcher(database=database, gateway=DryRunGateway()).run_once()
    with database.session() as session:
        ids = [a.id for a in session.query(Action).filter(Action.decision_id == decision_id)]
        assert ids and requests_for_actions(session=session, action_ids=ids) == {}


def test_the_answers_kept_cannot_be_changed(database, emulator, sdk) -> None:
    account = _custom_account(sdk, database)
    _decide(database, account, score=0.6)
    Dispatcher(database=database, gateway=_gateway(emulator)).run_once(limit=50)
    for statement in (
        update(ActionAttempt).values(error="rewritten"),
        delete(ActionAttempt),
    ):
        with pytest.raises(IntegrityError, match="append-only"):
            with database.session() as session, session.begin():
                session.execute(statement)
    with database.session() as session:
        assert session.query(ActionAttempt).count() > 0


def test_a_long_outage_is_re_driven_in_slices_each_keeping_its_conditions(
    database, emulator, control, sdk, monkeypatch: pytest.MonkeyPatch
) -> None:
    # After a long outage there may be more failed actions than one statement takes
    # parameters; slices of 2 here stand for slices of thousands.
    monkeypatch.setattr(action_dispatch, "_RETRY_SLICE", 2)
    for _ in range(2):
        _decide(database, _custom_account(sdk, database), score=0.6)
    dispatcher = _fail_for_good(database, emulator, control)
    with database.session() as session:
        done = retry_failed_actions(session=session, now=utcnow())
        session.commit()
    assert (done.retried, done.refused) == (6, 0)
    assert dispatcher.run_once(limit=50).applied == 6


def test_a_stripe_outage_shows_in_the_outbox_and_the_log_at_once(
    database, emulator, control, sdk, caplog: pytest.LogCaptureFixture
) -> None:
    account = _custom_account(sdk, database)
    _decide(database, account, score=0.6)
    control.post("/_emulator/faults", json={"rate_500": 1.0}).raise_for_status()
    dispatcher = Dispatcher(
        database=database,
        gateway=_gateway(emulator, max_attempts=1),
        retry=RetryPolicy(max_attempts=5, base_seconds=60.0),
    )
    with caplog.at_level("WARNING", logger="service.worker.dispatch"):
        result = dispatcher.run_once(limit=50)
    control.post("/_emulator/faults", json={"rate_500": 0.0}).raise_for_status()
    assert result.retrying == 3
    with database.session() as session:
        # Not due for a minute, and still waiting to be sent: the outbox is not empty.
        assert count_unsent_actions(session=session) == 3
    warnings = [r.getMessage() for r in caplog.records if "retrying in 60 s" in r.getMessage()]
    assert len(warnings) == 3
    assert all("attempt 1 of 5" in message for message in warnings)


def _sent_statuses(database: Database, decision_id: str) -> list[ActionStatus]:
    """The statuses of a decision's actions that go to Stripe (not its review or rejection)."""
    statuses = _statuses(database, decision_id)
    return [status for key, status in statuses.items() if key.split(":")[0] in RESTATED_KINDS]


def test_an_account_being_sent_to_is_left_to_its_dispatcher(database, sdk) -> None:
    busy, other = (_custom_account(sdk, database) for _ in range(2))
    for account in (busy, other):
        _decide(database, account, score=0.6)
    now, lease = utcnow(), dt.timedelta(seconds=60)

    def claim(owner: str, limit: int, at: dt.datetime) -> list[Action]:
        with database.session() as session:
            claimed = claim_actions(session=session, owner=owner, limit=limit, lease=lease, now=at)
            session.commit()
            return claimed

    [sending] = claim("one", 1, now)  # the oldest action: one of `busy`'s
    assert sending.account_id == busy["id"]
    taken = claim("two", 50, now)
    assert {action.account_id for action in taken} == {other["id"]}
    assert len(taken) == 3
    # Once the first lease runs out (its dispatcher died), the account is free again.
    later = claim("three", 50, now + lease + dt.timedelta(seconds=1))
    assert len([action for action in later if action.account_id == busy["id"]]) == 3
