"""Shared, seeded inputs for the feature tests: a full Account object, a hand-rolled marketplace
(accounts, documents, transactions, labels, snapshots) and a small synthetic dataset."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from features import NetworkIndex, build_network, build_table
from features.documents import DocumentEvidence

FIXTURES = Path("/work/shared/stripe-openapi/fixtures3.json")
T0 = 1_735_689_600  # 2025-01-01
DAY = 86_400


def _full_account() -> dict[str, Any]:
    """Stripe's fixture account with every field the features read filled in."""
    account = json.loads(FIXTURES.read_text())["resources"]["account"]
    account.update(
        id="acct_full",
        type="custom",
        business_type="company",
        created=T0 - 30 * DAY,
        email="owner@example-shop.com",
        charges_enabled=True,
        payouts_enabled=True,
        details_submitted=True,
        controller={
            "type": "application",
            "is_controller": True,
            "losses": {"payments": "application"},
            "requirement_collection": "application",
        },
        capabilities={"card_payments": "active", "transfers": "pending", "treasury": "inactive"},
        company={
            "name": "Example Shop Ltd",
            "tax_id_provided": True,
            "owners_provided": False,
            "directors_provided": True,
            "verification": {"document": {"details_code": "document_manipulated"}},
        },
        individual={
            "political_exposure": "none",
            "verification": {"status": "pending", "details_code": "failed_keyed_identity"},
        },
        external_accounts={
            "object": "list",
            "data": [
                {
                    "object": "bank_account",
                    "country": "GB",
                    "fingerprint": "bank_fp_1",
                    "status": "new",
                },
                {"object": "card", "country": "US", "fingerprint": "card_fp_9", "status": None},
            ],
        },
    )
    account["business_profile"].update(
        mcc="5967",
        url="https://www.example-shop.com",
        support_email="help@example-shop.com",
        support_phone="+15555550100",
        support_url="https://example-shop.com/help",
        name="Example Shop",
        product_description="Handmade ceramics shipped worldwide",
    )
    account["requirements"].update(
        current_deadline=T0 + 10 * DAY,
        past_due=["individual.verification.document", "company.tax_id"],
        pending_verification=["individual.dob.day"],
        disabled_reason="under_review",
        errors=[
            {"code": "verification_document_fraudulent", "reason": "x", "requirement": "y"},
            {"code": "invalid_url_website_inaccessible", "reason": "x", "requirement": "y"},
            {"code": "verification_failed_tax_id_match", "reason": "x", "requirement": "y"},
            {"code": "information_missing", "reason": "x", "requirement": "y"},
        ],
    )
    account["future_requirements"]["eventually_due"] = ["company.owners_provided"]
    return account


@pytest.fixture(scope="session")
def full_account() -> Callable[[], dict[str, Any]]:
    """A factory of fresh deep copies of the full Account object."""
    template = _full_account()
    return lambda: copy.deepcopy(template)


def make_transactions(
    rng: np.random.Generator, accounts: list[str], n: int, *, days: int = 200
) -> pd.DataFrame:
    """Contract-shaped transactions with shared cards and customers, several currencies, every
    type and status, failure codes and many equal timestamps (minute resolution)."""
    kind = rng.choice(["charge", "refund", "dispute", "payout"], n, p=[0.78, 0.08, 0.04, 0.10])
    charge_status = rng.choice(["succeeded", "failed"], n, p=[0.85, 0.15])
    dispute_status = rng.choice(["needs_response", "under_review", "won", "lost"], n)
    payout_status = rng.choice(["paid", "failed", "pending"], n, p=[0.85, 0.1, 0.05])
    refund_status = rng.choice(["succeeded", "failed"], n, p=[0.9, 0.1])
    status = np.select(
        [kind == "charge", kind == "refund", kind == "dispute"],
        [charge_status, refund_status, dispute_status],
        payout_status,
    )
    card = (kind == "charge") | (kind == "refund") | (kind == "dispute")
    failure = rng.choice(
        ["incorrect_cvc", "insufficient_funds", "stolen_card", "generic_decline", ""], n
    )
    fails = (status == "failed") & ((kind == "charge") | (kind == "payout"))
    amount_major = rng.choice([1, 5, 10, 20, 49.99, 100, 250, 1000], n)
    currency = rng.choice(["usd", "eur", "jpy", "kwd"], n, p=[0.6, 0.2, 0.15, 0.05])
    minor = np.select([currency == "jpy", currency == "kwd"], [1, 1000], 100)
    return pd.DataFrame(
        {
            "id": [f"tx_{i}" for i in range(n)],
            "account": rng.choice(accounts, n),
            "created": T0 + rng.integers(0, days * 24 * 60, n) * 60,
            "type": kind,
            "amount": np.maximum(1, np.rint(amount_major * minor * rng.choice([1, 1.37], n))),
            "currency": currency,
            "status": status,
            "card_country": np.where(card, rng.choice(["US", "GB", "FR", ""], n), ""),
            "card_fingerprint": np.where(card, [f"card_{i}" for i in rng.integers(0, 60, n)], ""),
            "customer": np.where(card, [f"cus_{i}" for i in rng.integers(0, 40, n)], ""),
            "failure_code": np.where(fails, failure, ""),
        }
    ).astype({"amount": np.int64})


@dataclass(frozen=True)
class World:
    """A small hand-rolled marketplace: everything compute and compute_batch take."""

    accounts: dict[str, dict[str, Any]]
    evidence: dict[str, tuple[DocumentEvidence, ...]]
    transactions: pd.DataFrame
    labels: pd.DataFrame
    snapshots: pd.DataFrame
    network: NetworkIndex


@pytest.fixture(scope="session")
def world(full_account: Callable[[], dict[str, Any]]) -> World:
    """30 accounts sharing cards, customers, banks and documents; 300 snapshots."""
    rng = np.random.default_rng(20250101)
    ids = [f"acct_{i:02d}" for i in range(30)]
    accounts, evidence = {}, {}
    for i, account_id in enumerate(ids):
        account = full_account()
        account["id"] = account_id
        account["country"] = ["US", "GB", "FR"][i % 3]
        account["created"] = T0 + int(rng.integers(-60, 100)) * DAY
        account["external_accounts"]["data"][0]["fingerprint"] = f"bank_{i % 12}"
        if i % 5 == 0:
            del account["requirements"]  # some accounts carry less
        accounts[account_id] = account
        evidence[account_id] = tuple(
            DocumentEvidence(sha256=f"{(i * 7 + k) % 40:064x}", size_bytes=1000)
            for k in range(i % 3)
        )
    transactions = make_transactions(rng, ids[:-2], 6000)  # the last two never transact
    labels = pd.DataFrame(
        {
            "account": ids[::4],
            "label": [1, 0] * 4,
            "labeled_at": T0 + rng.integers(20, 220, 8) * DAY,
        }
    )
    snapshots = pd.DataFrame(
        {
            "account": rng.choice(ids, 300),
            "as_of": T0 + rng.integers(-5 * DAY, 230 * DAY, 300),
        }
    )
    network = build_network(build_table(transactions), accounts, evidence, labels)
    return World(accounts, evidence, transactions, labels, snapshots, network)


@pytest.fixture(scope="session")
def synth_dataset(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A 200-account dataset from the synthetic marketplace generator, loaded (no PDFs)."""
    from training.dataset import load_dataset
    from training.synth.config import GeneratorConfig
    from training.synth.dataset import generate

    out = tmp_path_factory.mktemp("synth")
    generate(GeneratorConfig(accounts=200, seed=11, render_documents=False), out)
    return load_dataset(out)


@pytest.fixture(scope="session")
def transactions_factory() -> Callable[..., pd.DataFrame]:
    """`make_transactions(rng, accounts, n, days=...)`, for tests that draw their own frames."""
    return make_transactions
