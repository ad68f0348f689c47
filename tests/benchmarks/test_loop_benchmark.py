"""Benchmark: `account.updated` events per second through the whole loop — inbox → worker
(rescore with a trained champion, plan with the default policy) → dispatcher → the Stripe
emulator over HTTP — on SQLite.

Baseline, measured in the same run on the same database kind: the worker filing the same
number of events with no rescoring and no dispatch (store the state, mark the event done). The
ratio says what scoring and enforcement cost on top of filing. Set CONNECT_RISK_BENCH_EVENTS
to change the size.

A second benchmark gives the emulator Stripe-like latency (50 ms a request) and runs the same
loop with a dispatcher sending to one account at a time (the baseline) and to four at once
(`CONNECT_RISK_STRIPE_CONCURRENCY`'s default).
"""

from __future__ import annotations

import copy
import os
import statistics
import time
from pathlib import Path
from typing import Any

import pytest
import stripe

from service.api.model_status import ModelStatus
from service.db.database import Database
from service.db.repositories.inbox import store_event
from service.domain.policy_yaml import load_default_policy
from service.scoring.champion import ChampionModel, ChampionSource
from service.stripe_emulator.config import EmulatorConfig
from service.stripe_emulator.faults import FaultConfig
from service.stripe_emulator.server import EmulatorServer
from service.stripe_gateway.sdk_gateway import SdkStripeGateway
from service.worker.dispatch import Dispatcher
from service.worker.rescorer import NoRescore, Rescorer, ScoringRescorer
from service.worker.worker import Worker
from training import registry
from training.pipeline import TrainOptions, run_training
from training.steps.train import TrainConfig
from training.synth.config import GeneratorConfig
from training.synth.dataset import generate

EVENTS = int(os.environ.get("CONNECT_RISK_BENCH_EVENTS", "300"))
ROUNDS = 3
SLOW_EVENTS = 60
LATENCY_MS = 50.0
API_KEY = "sk_test_loop_bench"


def _champion(root: Path, monkeypatch: pytest.MonkeyPatch) -> ModelStatus:
    uri = f"sqlite:///{root / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    root.mkdir(parents=True, exist_ok=True)
    generate(GeneratorConfig(accounts=400, seed=3, render_documents=False), root, workers=1)
    options = TrainOptions(booster=TrainConfig(num_boost_round=60), workers=1)
    registry.crown(run_training(root, "provider-risk", options).version)
    return ChampionModel(ChampionSource(uri).load_champion())


def _events(sdk: stripe.StripeClient, tag: str, count: int = EVENTS) -> list[dict[str, Any]]:
    requested = {"card_payments": {"requested": True}, "transfers": {"requested": True}}
    template = sdk.v1.accounts.create(
        {"type": "custom", "country": "US", "capabilities": requested}
    ).to_dict()
    events = []
    for n in range(count):
        account = sdk.v1.accounts.create(
            {"type": "custom", "country": "US", "capabilities": requested}
        ).to_dict()
        state = {**copy.deepcopy(template), "id": account["id"], "created": account["created"]}
        events.append(
            {
                "id": f"evt_bench_{tag}_{n}",
                "object": "event",
                "type": "account.updated",
                "account": account["id"],
                "created": int(time.time()),
                "livemode": False,
                "data": {"object": state, "previous_attributes": {}},
            }
        )
    return events


def _run(
    database: Database,
    events: list[dict[str, Any]],
    rescorer: Rescorer,
    dispatcher: Dispatcher | None,
) -> float:
    with database.session() as session:
        for event in events:
            store_event(
                session=session,
                event_id=event["id"],
                event_type=event["type"],
                event_created=event["created"],
                payload=event,
                account_id=event["account"],
            )
        session.commit()
    worker = Worker(database=database, rescorer=rescorer)
    started = time.perf_counter()
    while True:
        busy = worker.run_once(50).claimed
        if dispatcher is not None:
            busy += dispatcher.run_once(50).claimed
        if busy == 0:
            break
    return len(events) / (time.perf_counter() - started)


@pytest.mark.benchmark
def test_events_per_second_through_the_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    champion = _champion(tmp_path / "model", monkeypatch)
    policy = load_default_policy()
    config = EmulatorConfig(port=0, seed=1, capability_review_seconds=None)
    full, filing = [], []
    with EmulatorServer(config) as emulator:
        sdk = stripe.StripeClient(API_KEY, base_addresses={"api": emulator.base_url})
        gateway = SdkStripeGateway(API_KEY, emulator.base_url)
        for round_ in range(ROUNDS):
            for kind in ("filing", "full"):
                database = Database.connect(f"sqlite:///{tmp_path / f'{kind}{round_}.db'}")
                database.ensure_schema()
                events = _events(sdk, f"{kind}{round_}")
                if kind == "full":
                    rescorer = ScoringRescorer(models=champion, policy=policy)
                    dispatcher = Dispatcher(database=database, gateway=gateway)
                    full.append(_run(database, events, rescorer, dispatcher))
                else:
                    filing.append(_run(database, events, NoRescore(), None))
                database.dispose()
    full_median, filing_median = statistics.median(full), statistics.median(filing)
    print(  # noqa: T201 - the benchmark's report
        f"\nloop: {EVENTS} account.updated events, {ROUNDS} rounds, SQLite, emulator over HTTP\n"
        f"  through rescoring and enforcement: {full_median:8.1f} events/s (median)\n"
        f"  filing only (baseline)           : {filing_median:8.1f} events/s (median)\n"
        f"  ratio                            : {full_median / filing_median:8.3f}"
    )
    assert full_median > 0


@pytest.mark.benchmark
def test_enforcement_against_a_slow_stripe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    champion = _champion(tmp_path / "model", monkeypatch)
    policy = load_default_policy()
    faults = FaultConfig(latency_ms=LATENCY_MS)
    config = EmulatorConfig(port=0, seed=1, capability_review_seconds=None, faults=faults)
    rates: dict[int, list[float]] = {1: [], 4: []}
    with EmulatorServer(config) as emulator:
        sdk = stripe.StripeClient(API_KEY, base_addresses={"api": emulator.base_url})
        gateway = SdkStripeGateway(API_KEY, emulator.base_url)
        for round_ in range(ROUNDS):
            for concurrency, rate in rates.items():
                database = Database.connect(f"sqlite:///{tmp_path / f'c{concurrency}r{round_}.db'}")
                database.ensure_schema()
                events = _events(sdk, f"c{concurrency}r{round_}", SLOW_EVENTS)
                rescorer = ScoringRescorer(models=champion, policy=policy)
                dispatcher = Dispatcher(database=database, gateway=gateway, concurrency=concurrency)
                rate.append(_run(database, events, rescorer, dispatcher))
                dispatcher.close()
                database.dispose()
    one, four = statistics.median(rates[1]), statistics.median(rates[4])
    print(  # noqa: T201 - the benchmark's report
        f"\nloop against a Stripe answering in {LATENCY_MS:.0f} ms: {SLOW_EVENTS} events, "
        f"{ROUNDS} rounds\n"
        f"  one account at a time (baseline): {one:8.1f} events/s (median)\n"
        f"  four accounts at once           : {four:8.1f} events/s (median)\n"
        f"  ratio                           : {four / one:8.2f}"
    )
    assert one > 0 and four > 0
