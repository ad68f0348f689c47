"""The written dataset follows the data contract (DESIGN.md §3) to the letter."""

from __future__ import annotations

import pandas as pd
import pytest

from training.synth.config import DAY, make_world
from training.synth.transactions import COLUMNS

STATUSES = {
    "charge": {"succeeded", "failed"},
    "refund": {"succeeded", "failed"},
    "dispute": {"needs_response", "under_review", "won", "lost"},
    "payout": {"paid", "failed", "pending"},
}
PREFIXES = {"charge": "ch_", "refund": "re_", "dispute": "dp_", "payout": "po_"}
CHARGE_FAILURES = {
    "card_declined",
    "insufficient_funds",
    "incorrect_cvc",
    "expired_card",
    "processing_error",
    "incorrect_number",
}
PAYOUT_FAILURES = {
    "account_closed",
    "no_account",
    "invalid_account_number",
    "could_not_process",
    "bank_account_restricted",
}


@pytest.fixture(scope="module")
def tx(small_dataset) -> pd.DataFrame:
    return small_dataset.transactions


def test_files_and_header(small_dataset):
    out = small_dataset.out
    for name in ("accounts.jsonl", "transactions.csv", "labels.csv", "snapshots.csv"):
        assert (out / name).is_file()
    assert (out / "transactions.csv").read_text().splitlines()[0] == ",".join(COLUMNS)
    assert (out / "labels.csv").read_text().splitlines()[0] == "account,label,labeled_at,reason"
    assert (out / "snapshots.csv").read_text().splitlines()[0] == "account,as_of"
    folders = list((out / "documents").iterdir())
    assert folders and all(f.name.startswith("acct_") for f in folders)
    assert all(p.suffix == ".pdf" for f in folders for p in f.iterdir())


def test_columns_types_and_ids(tx):
    assert list(tx.columns) == list(COLUMNS)
    assert tx["created"].dtype == "int64" and tx["amount"].dtype == "int64"
    assert tx["id"].is_unique
    for kind, prefix in PREFIXES.items():
        rows = tx[tx["type"] == kind]
        assert len(rows) > 0, kind
        assert rows["id"].str.startswith(prefix).all()
        assert set(rows["status"]) <= STATUSES[kind]
    assert set(tx["type"]) == set(PREFIXES)
    assert tx["account"].str.match(r"^acct_[0-9A-Za-z]{16}$").all()


def test_amounts_and_currencies(tx, small_dataset):
    assert (tx["amount"] > 0).all()
    assert tx["currency"].str.fullmatch(r"[a-z]{3}").all()
    charges = tx[(tx["type"] == "charge") & (tx["status"] == "succeeded")]
    median = charges.groupby("currency")["amount"].median()
    # JPY is zero-decimal: a yen amount is whole yen, about 1.5 times a cent amount in size.
    assert 0.3 < median["jpy"] / median["usd"] < 10
    japanese = {a["id"] for a in small_dataset.accounts if a["country"] == "JP"}
    assert (charges.loc[charges["account"].isin(japanese), "currency"] == "jpy").mean() > 0.8


def test_card_and_failure_fields(tx):
    charges = tx[tx["type"] == "charge"]
    carded = charges[charges["card_fingerprint"] != ""]
    assert len(carded) > 0.9 * len(charges)
    assert carded["card_fingerprint"].str.fullmatch(r"[0-9A-Za-z]{16}").all()
    assert carded["card_country"].str.fullmatch(r"[A-Z]{2}").all()
    assert (charges["customer"].eq("") | charges["customer"].str.match(r"^cus_\w{14}$")).all()
    payouts = tx[tx["type"] == "payout"]
    assert (payouts[["card_country", "card_fingerprint", "customer"]] == "").all().all()
    failed = tx["status"] == "failed"
    for kind, codes in (("charge", CHARGE_FAILURES), ("payout", PAYOUT_FAILURES)):
        rows = tx[(tx["type"] == kind) & failed]
        assert set(rows["failure_code"]) <= codes and len(rows) > 0
    assert (tx.loc[~failed, "failure_code"] == "").all()
    assert (tx.loc[tx["type"].isin(["refund", "dispute"]), "failure_code"] == "").all()


def test_cards_are_mostly_domestic(tx, small_dataset):
    country = {a["id"]: a["country"] for a in small_dataset.accounts}
    charges = tx[(tx["type"] == "charge") & (tx["card_country"] != "")]
    domestic = (charges["card_country"] == charges["account"].map(country)).mean()
    assert 0.55 < domestic < 0.97


def test_reversals_follow_a_matching_earlier_charge(tx):
    charges = tx[(tx["type"] == "charge") & (tx["status"] == "succeeded")]
    keys = ["account", "card_fingerprint", "customer"]
    for kind in ("refund", "dispute"):
        rows = tx[tx["type"] == kind].reset_index(names="row")
        pairs = rows.merge(charges, on=keys, suffixes=("", "_charge"))
        ok = (
            (pairs["created_charge"] < pairs["created"])
            & (pairs["amount_charge"] >= pairs["amount"])
            & (pairs["currency_charge"] == pairs["currency"])
        )
        matched = set(pairs.loc[ok, "row"])
        assert matched == set(rows["row"]), f"{kind} without an earlier charge"


def test_labels(small_dataset, small_config):
    labels, world = small_dataset.labels, make_world(small_config)
    created = {a["id"]: a["created"] for a in small_dataset.accounts}
    assert list(labels["account"]) == list(created)
    assert set(labels["label"]) == {0, 1}
    bad, good = labels[labels["label"] == 1], labels[labels["label"] == 0]
    assert set(bad["reason"]) <= {"fraud", "negative_balance", "excessive_disputes", "sanctions"}
    assert (good["reason"] == "").all() and (good["labeled_at"] == world.end).all()
    assert (bad["labeled_at"] > bad["account"].map(created)).all()
    assert (bad["labeled_at"] < world.end).all()


def test_snapshots(small_dataset, small_config):
    snaps, world = small_dataset.snapshots, make_world(small_config)
    created = {a["id"]: a["created"] for a in small_dataset.accounts}
    labeled_at = small_dataset.labels.set_index("account")["labeled_at"]
    assert set(snaps["account"]) == set(created)
    assert (snaps["as_of"] < snaps["account"].map(labeled_at)).all()
    assert (snaps["as_of"] > snaps["account"].map(created)).all()
    assert snaps["as_of"].between(world.start, world.end - 1).all()
    assert snaps.groupby("account").size().max() > 3  # later snapshots while active


def test_money_moves_only_while_the_account_is_open(small_dataset, small_config):
    tx, world = small_dataset.transactions, make_world(small_config)
    created = {a["id"]: a["created"] for a in small_dataset.accounts}
    assert (tx["created"] > tx["account"].map(created)).all()
    assert (tx["created"] < world.end).all()
    closed = small_dataset.labels.set_index("account").query("label == 1")["labeled_at"]
    last = tx[tx["account"].isin(closed.index)].groupby("account")["created"].max()
    assert (last < closed[last.index] + 3 * DAY).all()
