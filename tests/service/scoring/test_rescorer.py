"""The worker's rescore with a trained champion: it sees the money movement that triggered it,
an event for an account whose state never arrived is kept without a score, and its decisions
are counted in /metrics."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from typing import get_args

import httpx
from pydantic import SecretStr
from scoring_support import stripe_account
from svc_support import LiveServer, make_settings, new_event, sign

from service.app import create_app
from service.db.repositories.accounts import ensure_account, record_account_state
from service.db.repositories.decisions import latest_decision
from service.db.repositories.evidence import transaction_records, upsert_transactions
from service.domain.policy_model import Tier
from service.domain.policy_yaml import load_default_policy
from service.scoring.champion import ChampionModel, LoadedModel
from service.worker.rescorer import ScoringRescorer


def _rescorer(champion_model, model_store, now: dt.datetime) -> ScoringRescorer:
    loaded = LoadedModel(
        model=champion_model,
        version=f"provider-risk/{model_store.version}",
        number=model_store.version,
    )
    return ScoringRescorer(
        models=ChampionModel(loaded), policy=load_default_policy(), clock=lambda: now
    )


def _failed_payout(account_id: str, created: int) -> dict:
    return {
        "id": f"po_{account_id[5:]}",
        "account_id": account_id,
        "created": created,
        "type": "payout",
        "amount": 12_000,
        "currency": "usd",
        "status": "failed",
    }


def test_a_payout_stamped_in_the_rescores_own_second_counts(database, champion_model, model_store):
    now = dt.datetime.now(dt.UTC).replace(microsecond=400_000)
    account = stripe_account()
    with database.session() as session:
        record_account_state(session=session, account_id=account["id"], state=account, as_of=now)
        upsert_transactions(
            session=session, rows=[_failed_payout(account["id"], int(now.timestamp()))]
        )
        _rescorer(champion_model, model_store, now).rescore(
            session, account["id"], "payout_failed", "evt_payout"
        )
        session.commit()
    with database.session() as session:
        decision = latest_decision(session=session, account_id=account["id"])
    assert decision is not None
    assert decision.features["payout_failed_count_all"] == 1.0
    # What the policy chose is kept with a rescore, which has no caller to return it to.
    assert decision.tier in get_args(Tier)
    assert isinstance(decision.documents_to_collect, list)
    assert decision.as_of == now.replace(microsecond=0) + dt.timedelta(seconds=1)


def test_an_account_without_stripe_state_keeps_its_money_and_waits_for_a_score(
    database, champion_model, model_store
):
    now = dt.datetime.now(dt.UTC)
    account_id = stripe_account()["id"]
    with database.session() as session:
        ensure_account(session=session, account_id=account_id)
        upsert_transactions(
            session=session, rows=[_failed_payout(account_id, int(now.timestamp()) - 5)]
        )
        _rescorer(champion_model, model_store, now).rescore(
            session, account_id, "payout_failed", "evt_early"
        )
        session.commit()
    with database.session() as session:
        assert latest_decision(session=session, account_id=account_id) is None
        kept = transaction_records(session=session, account_id=account_id, before=2**40)
    assert [row["status"] for row in kept] == ["failed"]


def test_a_decision_is_counted_only_once_its_transaction_commits(
    database, champion_model, model_store
):
    # An event whose transaction fails is retried: its first, rolled-back decision must not
    # count in the decisions-by-band metric beside the one that commits.
    now = dt.datetime.now(dt.UTC)
    counted: list[str] = []
    rescorer = _rescorer(champion_model, model_store, now)
    rescorer.on_decision = counted.append
    account = stripe_account()
    with database.session() as session:
        record_account_state(session=session, account_id=account["id"], state=account, as_of=now)
        session.commit()
    with database.session() as session:
        rescorer.rescore(session, account["id"], "account_updated", "evt_lost")
        assert counted == []
        session.rollback()
        session.commit()  # a later commit of the same session does not revive it
    assert counted == []
    with database.session() as session:
        rescorer.rescore(session, account["id"], "account_updated", "evt_kept")
        session.commit()
        decision = latest_decision(session=session, account_id=account["id"])
    assert decision is not None and counted == [decision.band]


def test_decisions_made_after_a_webhook_are_counted_in_metrics(database_url, model_store):
    # The in-process worker's rescores land in the same decisions-by-band counter as scores
    # asked for over the API (before, /metrics counted API scores only).
    secret = "whsec_" + "m" * 24
    settings = make_settings(
        database_url,
        mlflow_tracking_uri=model_store.uri,
        stripe_webhook_secret=SecretStr(secret),
        inprocess_worker=True,
    )
    account = stripe_account()
    event = new_event("account.updated", account=account["id"], data={"object": account})
    body = json.dumps(event).encode()
    with LiveServer(create_app(settings)) as server, httpx.Client(base_url=server.url) as http:
        assert counted_decisions(http) == 0
        delivered = http.post(
            "/v1/webhooks/stripe",
            content=body,
            headers={"Stripe-Signature": sign(body, secret), "Content-Type": "application/json"},
        )
        assert delivered.status_code == 200, delivered.text
        deadline = time.monotonic() + 30
        while counted_decisions(http) == 0:
            assert time.monotonic() < deadline, "the rescore's decision was never counted"
            time.sleep(0.1)
        time.sleep(0.5)  # the account.updated the worker wrote back changes nothing more
        assert counted_decisions(http) == 1


def counted_decisions(http: httpx.Client) -> float:
    text = http.get("/metrics").text
    found = re.findall(r'^connect_risk_decisions_total\{band="[^"]+"\} (\S+)$', text, re.M)
    return sum(float(value) for value in found)
