"""The Stripe loop end to end, each part a process of its own, on SQLite and on PostgreSQL:
emulator → signed `account.updated` → API inbox → `connect-risk worker` (rescore with the
champion, plan with the policy) → the gateway → the emulator's account.

The policy's band thresholds are placed between the champion's scores of an account before
and after a risk change (computed here with the same feature code and model), so the change
must move the account to another band whatever the small trained model makes of it.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import hmac
import json
import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import psycopg
import pytest
import stripe
from e2e_support import WEBHOOK_SECRET, Loop, free_port, wait_for
from sqlalchemy import select

from features import build_network, compute
from features.transactions.table import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, build_table
from service.db.database import Database
from service.db.models import InboxEvent, InboxStatus
from service.domain.decision import decide
from service.domain.facts import facts_from_account
from service.domain.policy_yaml import default_policy_text, parse_policy
from service.domain.stripe_vocab import API_VERSION
from service.stripe_emulator.config import EmulatorConfig
from service.stripe_emulator.server import EmulatorServer
from training import registry, tracking
from training.pipeline import TrainOptions, run_training
from training.steps.model import RiskModel
from training.steps.train import TrainConfig
from training.synth.config import GeneratorConfig
from training.synth.dataset import generate

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
REQUESTED = {"card_payments": {"requested": True}, "transfers": {"requested": True}}
ACCOUNT_PARAMS: dict[str, Any] = {
    "type": "custom",
    "country": "US",
    "business_type": "individual",
    "capabilities": REQUESTED,
    "business_profile": {"mcc": "5734", "url": "https://provider.example"},
}
SETTLE = 90.0


def _risk_changes(account: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Stripe-side changes a risky provider shows; the test uses whichever moves the score most."""
    past_due = copy.deepcopy(account)
    past_due["requirements"].update(
        past_due=["individual.verification.document", "external_account"],
        currently_due=["individual.verification.document", "external_account"],
        disabled_reason="requirements.past_due",
    )
    past_due.update(charges_enabled=False, payouts_enabled=False)
    gambling = copy.deepcopy(account)
    gambling["business_profile"]["mcc"] = "7995"
    both = copy.deepcopy(past_due)
    both["business_profile"]["mcc"] = "7995"
    return {"past_due": past_due, "gambling": gambling, "both": both}


def _score(model: RiskModel, account: dict[str, Any]) -> float:
    """The score the service gives a new account: no money movements, no links yet."""
    empty = pd.DataFrame(columns=[*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS])
    network = build_network(build_table(empty), {}, {})
    values = compute(account, (), empty, int(time.time()), network=network).as_dict()
    row = [[values[name] for name in model.feature_names]]
    return float(model.predict(pd.DataFrame(row).to_numpy(dtype="float32"))[0])


def _tailored_policy(before: float, after: float) -> str:
    """The default policy with bands cut so `before` is low and `after` is medium."""
    assert after - before > 1e-3, f"no risk change moved the score ({before:.5f} → {after:.5f})"
    cuts = {
        ("medium", "0.05"): (before + after) / 2,
        ("high", "0.2"): after + (1 - after) / 2,
        ("severe", "0.5"): after + 3 * (1 - after) / 4,
    }
    text = default_policy_text()
    for (band, default), cut in cuts.items():
        old = f"{{name: {band}, min_score: {default}}}"
        assert old in text
        text = text.replace(old, f"{{name: {band}, min_score: {cut:.8f}}}")
    parse_policy(text)  # fails here, not in the service, if the cuts are not increasing
    return text


@pytest.fixture(scope="module")
def champion(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, RiskModel]]:
    root = tmp_path_factory.mktemp("e2e-model")
    uri = f"sqlite:///{root / 'mlflow.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_TRACKING_URI", uri)
        generate(GeneratorConfig(accounts=400, seed=3, render_documents=False), root, workers=1)
        options = TrainOptions(booster=TrainConfig(num_boost_round=30), workers=1)
        version = run_training(root, "provider-risk", options).version
        registry.crown(version)
        tracking.use_store(uri)
        yield uri, tracking.load_risk_model(f"models:/provider-risk/{version}")


@pytest.fixture(scope="module")
def template(champion: tuple[str, RiskModel]) -> dict[str, Any]:
    """An account as the emulator creates it, its risky version and both scores."""
    _, model = champion
    config = EmulatorConfig(port=0, seed=17, capability_review_seconds=0.0)
    with EmulatorServer(config) as server:
        sdk = stripe.StripeClient("sk_test_template", base_addresses={"api": server.base_url})
        created = sdk.v1.accounts.create(ACCOUNT_PARAMS).to_dict()
        time.sleep(0.3)  # the emulator's capability reviews
        account = sdk.v1.accounts.retrieve(created["id"]).to_dict()
    changes = _risk_changes(account)
    scores = {name: _score(model, state) for name, state in changes.items()}
    change = max(scores, key=lambda name: scores[name])
    return {"change": change, "before": _score(model, account), "after": scores[change]}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def loop(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    champion: tuple[str, RiskModel],
    template: dict[str, Any],
) -> Iterator[Loop]:
    root = tmp_path_factory.mktemp(f"e2e-loop-{request.param}")
    policy = root / "policy.yaml"
    policy.write_text(_tailored_policy(template["before"], template["after"]), "utf-8")
    with _database(request.param, root) as url:
        stack = Loop(root=root, database_url=url, mlflow_uri=champion[0], policy_path=policy)
        try:
            stack.start()
            yield stack
        except BaseException:
            print(stack.logs())  # noqa: T201 - shown by pytest for the failing test only
            raise
        finally:
            stack.stop()


@pytest.fixture(scope="module")
def api(loop: Loop) -> Iterator[httpx.Client]:
    """An API client with a key that may read accounts and decisions."""
    key = _create_key(loop)
    with httpx.Client(
        base_url=loop.api_url, headers={"Authorization": f"Bearer {key}"}, timeout=30
    ) as http:
        yield http


@pytest.fixture
def clean_emulator(loop: Loop) -> Loop:
    loop.settle()
    with loop.control() as http:
        http.post("/_emulator/faults", json={"rate_429": 0, "rate_500": 0, "latency_ms": 0})
    return loop


def test_a_new_account_is_enforced_and_follows_a_risk_change(
    clean_emulator: Loop, api: httpx.Client, template: dict[str, Any]
) -> None:
    loop, sdk = clean_emulator, clean_emulator.sdk()
    account_id = sdk.v1.accounts.create(ACCOUNT_PARAMS).id

    low = _wait_for_band(loop, api, account_id, "low")
    _assert_enforced(loop, account_id, low)

    risky = _risk_changes(sdk.v1.accounts.retrieve(account_id).to_dict())[template["change"]]
    with loop.control() as http:
        http.post("/_emulator/accounts?event=account.updated", json=risky).raise_for_status()
    medium = _wait_for_band(loop, api, account_id, "medium")
    _assert_enforced(loop, account_id, medium)

    # The emulator's follow-up events for the service's own writes change nothing more.
    loop.settle()
    before = len(loop.enforcement())
    decisions = len(api.get(f"/v1/accounts/{account_id}/decisions").json()["data"])
    loop.settle(quiet_seconds=3.0)
    assert len(loop.enforcement()) == before
    assert len(api.get(f"/v1/accounts/{account_id}/decisions").json()["data"]) == decisions

    # A replayed delivery of the last event is acknowledged and changes nothing.
    with loop.control() as http:
        events = http.get("/_emulator/events").json()["data"]
    last = [record["event"] for record in events if record["event"]["account"] == account_id][-1]
    assert _deliver(loop, last).status_code == 200
    loop.settle()
    assert len(loop.enforcement()) == before


def test_shuffled_and_duplicated_streams_end_where_the_ordered_one_does(
    clean_emulator: Loop, api: httpx.Client, template: dict[str, Any]
) -> None:
    loop, sdk = clean_emulator, clean_emulator.sdk()
    ordered, shuffled = (sdk.v1.accounts.create(ACCOUNT_PARAMS).id for _ in range(2))
    loop.settle()
    rng = random.Random(7)
    finals: dict[str, dict[str, Any]] = {}
    for account_id, scramble in ((ordered, False), (shuffled, True)):
        state = sdk.v1.accounts.retrieve(account_id).to_dict()
        risky = _risk_changes(state)[template["change"]]
        stream = _stream(account_id, [state, risky, state, risky])
        if scramble:
            stream = stream + rng.sample(stream, 2)
            rng.shuffle(stream)
        for event in stream:
            assert _deliver(loop, event).status_code == 200
        _wait_for_band(loop, api, account_id, "medium")
        loop.settle()
        finals[account_id] = sdk.v1.accounts.retrieve(account_id).to_dict()
    assert _enforced_view(finals[ordered]) == _enforced_view(finals[shuffled])
    assert finals[shuffled]["metadata"]["risk_band"] == "medium"


def test_storms_and_a_killed_worker_lose_nothing_and_apply_nothing_twice(
    clean_emulator: Loop, api: httpx.Client
) -> None:
    loop, sdk = clean_emulator, clean_emulator.sdk()
    template = sdk.v1.accounts.create(ACCOUNT_PARAMS).id
    _wait_for_band(loop, api, template, None)
    state = sdk.v1.accounts.retrieve(template).to_dict()
    accounts = [f"acct_1Storm{n:010d}" for n in range(4)]
    with loop.control() as http:
        faults = {"rate_429": 0.25, "rate_500": 0.25, "latency_ms": 150}
        http.post("/_emulator/faults", json=faults).raise_for_status()
        # Seeded through the control API, which no fault touches, as new accounts at Stripe.
        for account_id in accounts:
            fresh = {**copy.deepcopy(state), "id": account_id, "metadata": {}}
            fresh["external_accounts"]["url"] = f"/v1/accounts/{account_id}/external_accounts"
            seeded = http.post("/_emulator/accounts?event=account.updated", json=fresh)
            seeded.raise_for_status()

    # Kill the worker with SIGKILL as soon as it has sent something, then start another.
    started = len(loop.enforcement())
    wait_for(lambda: len(loop.enforcement()) > started, SETTLE, "a first enforcement")
    loop.processes["worker"].kill()
    loop.start_worker("worker-after-kill")
    for account_id in accounts:
        _wait_for_band(loop, api, account_id, None)
    with loop.control() as http:
        http.post("/_emulator/faults", json={"rate_429": 0, "rate_500": 0, "latency_ms": 0})
    loop.settle()

    keys = Counter(entry["idempotency_key"] for entry in loop.enforcement())
    assert keys and max(keys.values()) == 1, f"applied twice: {keys.most_common(3)}"
    faulted = [entry for entry in loop.requests() if entry["fault"]]
    assert faulted, "the storm should have failed some requests"
    for account_id in accounts:
        _assert_enforced(loop, account_id, _latest(api, account_id))


def test_a_database_outage_answers_503_and_loses_nothing_accepted(
    clean_emulator: Loop, api: httpx.Client, template: dict[str, Any]
) -> None:
    loop, sdk = clean_emulator, clean_emulator.sdk()
    account_id = sdk.v1.accounts.create(ACCOUNT_PARAMS).id
    _wait_for_band(loop, api, account_id, "low")
    loop.settle()
    state = sdk.v1.accounts.retrieve(account_id).to_dict()
    risky = _risk_changes(state)[template["change"]]
    accepted, refused = _stream(account_id, [risky, state])

    assert _deliver(loop, accepted).status_code == 200
    with _outage(loop):
        answer = _deliver(loop, refused)
        assert answer.status_code == 503, answer.text
        assert answer.headers.get("Retry-After")
    # Stripe delivers again later; now the database answers.
    assert wait_for(lambda: _deliver(loop, refused).status_code == 200, 30, "a retry to land")

    # Both events are filed: the accepted one may have been cut off mid-transaction by the
    # outage and retried (backoff), then rescored or found older than the state stored since.
    filed = {accepted["id"]: InboxStatus.DONE, refused["id"]: InboxStatus.DONE}
    wait_for(lambda: _inbox_statuses(loop, list(filed)) == filed, SETTLE, "both events filed")
    _wait_for_band(loop, api, account_id, "low")


def test_what_stripe_would_never_send_is_refused_and_nothing_is_stored(
    clean_emulator: Loop,
) -> None:
    loop = clean_emulator
    [event] = _stream("acct_1RefusedEvents01", [{"id": "acct_1RefusedEvents01"}])
    body = json.dumps(event).encode()
    stale = int(time.time()) - 3600

    def post(payload: bytes, signature: str) -> httpx.Response:
        headers = {"Stripe-Signature": signature, "Content-Type": "application/json"}
        return httpx.post(loop.webhook_url, content=payload, headers=headers, timeout=30)

    refused = {
        "wrong secret": post(body, _signature(body, "whsec_someone_else")),
        "stale timestamp": post(body, _signature(body, WEBHOOK_SECRET, stale)),
        "no signature": post(body, ""),
        "malformed JSON": post(b"{not json", _signature(b"{not json", WEBHOOK_SECRET)),
    }
    assert {name: answer.status_code for name, answer in refused.items()} == dict.fromkeys(
        refused, 400
    )
    oversized = b'{"pad": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    assert post(oversized, _signature(oversized, WEBHOOK_SECRET)).status_code == 413
    assert _inbox_statuses(loop, [event["id"]]) == {}

    unknown = {**event, "id": "evt_e2e_unknown_type", "type": "plan.created"}
    assert _deliver(loop, unknown).status_code == 200
    ignored = {unknown["id"]: InboxStatus.IGNORED}
    wait_for(lambda: _inbox_statuses(loop, list(ignored)) == ignored, SETTLE, "the unknown type")


def _signature(body: bytes, secret: str, moment: int | None = None) -> str:
    moment = int(time.time()) if moment is None else moment
    signed = hmac.new(secret.encode(), f"{moment}.".encode() + body, hashlib.sha256)
    return f"t={moment},v1={signed.hexdigest()}"


def _inbox_statuses(loop: Loop, event_ids: list[str]) -> dict[str, InboxStatus]:
    database = Database.connect(loop.database_url)
    try:
        with database.session() as session:
            rows = session.scalars(select(InboxEvent).where(InboxEvent.event_id.in_(event_ids)))
            return {row.event_id: row.status for row in rows}
    finally:
        database.dispose()


def _wait_for_band(
    loop: Loop, api: httpx.Client, account_id: str, band: str | None
) -> dict[str, Any]:
    """Wait until the account's latest decision has `band` (any, for None) and its actions
    are settled."""

    def settled() -> dict[str, Any] | None:
        latest = _latest(api, account_id)
        if latest is None or band not in (None, latest["band"]):
            return None
        pending = [a for a in latest["actions"] if a["status"] in ("planned", "failed")]
        return None if pending else latest

    try:
        return wait_for(settled, SETTLE, f"{account_id} to be enforced in band {band}", 0.2)
    except AssertionError:
        print(loop.logs())  # noqa: T201 - shown by pytest for the failing test only
        raise


def _latest(api: httpx.Client, account_id: str) -> dict[str, Any] | None:
    response = api.get(f"/v1/accounts/{account_id}")
    if response.status_code == 404:
        return None
    summary = response.raise_for_status().json()["latest_decision"]
    if summary is None:
        return None
    return dict(api.get(f"/v1/decisions/{summary['id']}").raise_for_status().json())


def _assert_enforced(loop: Loop, account_id: str, decision: dict[str, Any] | None) -> None:
    """Planning the decision again against the emulator's account finds nothing left to send."""
    assert decision is not None
    sdk = loop.sdk()
    account = sdk.v1.accounts.retrieve(account_id).to_dict()
    capabilities = [c.to_dict() for c in sdk.v1.accounts.capabilities.list(account_id).data]
    policy = parse_policy(loop.policy_path.read_text("utf-8"))
    again = decide(
        "dec_check",
        decision["score"],
        facts_from_account(account, capabilities),
        policy,
        decision["model_version"],
        dt.datetime.now(dt.UTC),
    )
    assert again.band == decision["band"]
    left = {a.kind: a.status for a in again.actions if a.kind != "review"}
    assert set(left.values()) <= {"noop"}, f"not enforced: {left}"
    assert account["metadata"]["risk_band"] == decision["band"]


def _enforced_view(account: dict[str, Any]) -> dict[str, Any]:
    metadata = {k: v for k, v in account["metadata"].items() if k != "risk_decided_at"}
    return {
        "schedule": account["settings"]["payouts"]["schedule"],
        "capabilities": account["capabilities"],
        "metadata": metadata,
    }


def _stream(account_id: str, states: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Signed-ready `account.updated` events, one second apart, newest state last."""
    start = int(time.time()) + 5
    return [
        {
            "id": f"evt_e2e_{account_id[-8:]}_{i}",
            "object": "event",
            "type": "account.updated",
            "account": account_id,
            "api_version": API_VERSION,
            "created": start + i,
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "data": {"object": state, "previous_attributes": {}},
        }
        for i, state in enumerate(states)
    ]


def _deliver(loop: Loop, event: dict[str, Any]) -> httpx.Response:
    body = json.dumps(event).encode()
    headers = {
        "Stripe-Signature": _signature(body, WEBHOOK_SECRET),
        "Content-Type": "application/json",
    }
    return httpx.post(loop.webhook_url, content=body, headers=headers, timeout=30)


def _create_key(loop: Loop) -> str:
    """`connect-risk apikey create` in the loop's directory: the new key is its last line."""
    scopes = "accounts:read,decisions:read"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.cli",
            "apikey",
            "create",
            "--name",
            "e2e",
            "--scopes",
            scopes,
        ],
        env=loop.env(),
        cwd=loop.root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


@contextlib.contextmanager
def _outage(loop: Loop) -> Iterator[None]:
    """Make the loop's database refuse writes (SQLite: another writer holds the lock past the
    busy timeout) or connections (PostgreSQL: the database stops accepting them)."""
    url = loop.database_url
    if url.startswith("sqlite"):
        holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        try:
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


class _database:
    """A fresh database for one backend: a SQLite file, or a PostgreSQL database of its own."""

    def __init__(self, backend: str, root: Path) -> None:
        self.backend, self.root = backend, root
        self.name = f"e2e_loop_{free_port()}"

    def __enter__(self) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.root / 'connect-risk.db'}"
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.name}"

    def __exit__(self, *_exc: object) -> None:
        if self.backend == "postgresql":
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
