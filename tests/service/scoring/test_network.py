"""The online network: built from the database, it links accounts sharing a card or a payout
bank account and counts the ones rejected (by an analyst, or by Stripe in the account state)
from the moment they were rejected."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from scoring_support import stripe_account

from features import compute
from features.transactions.table import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from service.db.database import Database
from service.db.repositories.accounts import record_account_state
from service.db.repositories.evidence import upsert_transactions
from service.db.repositories.review_claims import claim_review, close_review
from service.db.repositories.reviews import open_review
from service.scoring.network import NetworkCache, load_network

REJECTED_AT = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def _charge(charge_id: str, account_id: str, created: int) -> dict:
    row = dict.fromkeys((*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS))
    row.update(
        id=charge_id,
        account=account_id,
        created=created,
        type="charge",
        amount=5_000,
        currency="usd",
        status="succeeded",
        card_fingerprint="fp_shared_card",
    )
    return row


def _seed(database: Database) -> tuple[dict, pd.DataFrame]:
    good, bad = stripe_account(), stripe_account()
    rows = [
        _charge("ch_good", good["id"], 1_770_000_000),
        _charge("ch_bad", bad["id"], 1_769_000_000),
    ]
    with database.session() as session:
        for account in (good, bad):
            record_account_state(
                session=session, account_id=account["id"], state=account, as_of=REJECTED_AT
            )
        upsert_transactions(session=session, rows=[{**r, "account_id": r["account"]} for r in rows])
        review = open_review(session=session, account_id=bad["id"], reason="test")
        assert claim_review(session=session, review_id=review.id, key_id="key_analyst")
        assert close_review(
            session=session,
            review_id=review.id,
            key_id="key_analyst",
            outcome="reject",
            note=None,
            band="severe",
            resolved_at=REJECTED_AT,
        )
        session.commit()
    return good, pd.DataFrame([rows[0]]).drop(columns=["id"])


def test_a_shared_card_links_to_an_account_rejected_before_as_of(database: Database) -> None:
    good, transactions = _seed(database)
    with database.session() as session:
        network = load_network(session)

    def links(as_of: dt.datetime) -> tuple[float, float]:
        values = compute(good, (), transactions, int(as_of.timestamp()), network=network)
        row = values.as_dict()
        return row["linked_accounts_card"], row["linked_bad_accounts_card"]

    assert links(REJECTED_AT + dt.timedelta(days=30)) == (1.0, 1.0)
    assert links(REJECTED_AT - dt.timedelta(days=10)) == (1.0, 0.0)


def _bank(fingerprint: str) -> dict:
    account = {"object": "bank_account", "fingerprint": fingerprint, "country": "US"}
    return {"object": "list", "data": [account]}


def test_a_shared_bank_account_links_to_an_account_stripe_rejected(database: Database) -> None:
    created = int((REJECTED_AT - dt.timedelta(days=90)).timestamp())
    good = stripe_account(created=created, external_accounts=_bank("ba_fp_shared"))
    rejected = stripe_account(
        created=created,
        external_accounts=_bank("ba_fp_shared"),
        requirements={"currently_due": [], "disabled_reason": "rejected.fraud"},
    )
    stranger = stripe_account(created=created, external_accounts=_bank("ba_fp_other"))
    with database.session() as session:
        for account in (good, rejected, stranger):
            record_account_state(
                session=session, account_id=account["id"], state=account, as_of=REJECTED_AT
            )
        session.commit()
    with database.session() as session:
        network = load_network(session)

    def links(account: dict, as_of: dt.datetime) -> tuple[float, float]:
        row = compute(account, (), None, int(as_of.timestamp()), network=network).as_dict()
        return row["linked_accounts_bank"], row["linked_bad_accounts_bank"]

    after, before = REJECTED_AT + dt.timedelta(days=1), REJECTED_AT - dt.timedelta(days=1)
    assert links(good, after) == (1.0, 1.0)
    assert links(good, before) == (1.0, 0.0)
    assert links(stranger, after) == (0.0, 0.0)


def test_the_cache_serves_nothing_until_built_and_never_when_turned_off(
    database: Database,
) -> None:
    _seed(database)
    off = NetworkCache(database, refresh_seconds=0).start()
    assert off.current() is None
    off.stop()
    cache = NetworkCache(database, refresh_seconds=0)
    cache.refresh()
    index = cache.current()
    assert index is not None and len(index.accounts) == 2


def test_the_first_index_is_built_before_start_returns(database: Database) -> None:
    _seed(database)
    cache = NetworkCache(database, refresh_seconds=60).start()
    try:
        assert cache.is_ready()
        index = cache.current()
        assert index is not None and len(index.accounts) == 2
    finally:
        cache.stop()


def test_a_network_whose_database_is_down_at_start_is_not_ready() -> None:
    unreachable = Database.connect("postgresql+psycopg://postgres@127.0.0.1:1/none")
    cache = NetworkCache(unreachable, refresh_seconds=60).start()
    try:
        assert not cache.is_ready() and cache.current() is None
        assert NetworkCache(unreachable, refresh_seconds=0).is_ready()  # off: nothing to wait for
    finally:
        cache.stop()
        unreachable.dispose()
