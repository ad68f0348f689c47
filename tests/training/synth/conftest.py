"""Shared synthetic datasets and the Stripe Account schema validator for the generator's tests."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from service.stripe_emulator.spec import find_spec_path
from service.stripe_emulator.validation import SpecValidators, validators_for
from training.synth.config import DEFAULT_ARCHETYPE_RATES, GeneratorConfig, make_world
from training.synth.dataset import Bundle, build_onboarding, generate, iter_bundles
from training.synth.population import draw_population
from training.synth.provider import ProviderPlan
from training.synth.transactions import movements_frame

SMALL_ACCOUNTS = 400  # the written dataset most tests read
POPULATION_ACCOUNTS = 2000  # in-memory bundles for rate and leakage statistics

STRING_COLUMNS = dict.fromkeys(
    (
        "id",
        "account",
        "type",
        "currency",
        "status",
        "card_country",
        "card_fingerprint",
        "customer",
        "failure_code",
    ),
    str,
)


@dataclass(frozen=True)
class Tables:
    out: Path
    accounts: list[dict[str, Any]]
    transactions: pd.DataFrame
    labels: pd.DataFrame
    snapshots: pd.DataFrame


def read_tables(out: Path) -> Tables:
    """The dataset's files, parsed as a consumer of the data contract would."""
    with (out / "accounts.jsonl").open(encoding="utf-8") as handle:
        accounts = [json.loads(line) for line in handle]
    transactions = pd.read_csv(
        out / "transactions.csv", dtype=STRING_COLUMNS, keep_default_na=False
    )
    labels = pd.read_csv(out / "labels.csv", dtype={"reason": str}, keep_default_na=False)
    return Tables(out, accounts, transactions, labels, pd.read_csv(out / "snapshots.csv"))


@pytest.fixture(scope="session")
def small_config() -> GeneratorConfig:
    return GeneratorConfig(accounts=SMALL_ACCOUNTS, seed=7)


@pytest.fixture(scope="session")
def small_dataset(
    tmp_path_factory: pytest.TempPathFactory, small_config: GeneratorConfig
) -> Tables:
    """A written dataset with rendered documents, generated once per session."""
    out = tmp_path_factory.mktemp("synth-small")
    generate(small_config, out, workers=2)
    return read_tables(out)


@pytest.fixture(scope="session")
def population() -> list[Bundle]:
    """A few thousand accounts in memory (documents planned, not rendered)."""
    config = GeneratorConfig(accounts=POPULATION_ACCOUNTS, seed=21, render_documents=False)
    return list(iter_bundles(config))


@pytest.fixture(scope="session")
def stripe_validators() -> SpecValidators:
    """Validators for Stripe's spec, shared with the Stripe emulator (loaded once)."""
    return validators_for(find_spec_path())


@dataclass(frozen=True)
class Onboarding:
    plan: ProviderPlan
    documents: list
    account: dict[str, Any]


@pytest.fixture(scope="session")
def onboarding_population() -> list[Onboarding]:
    """Onboarding only (no transactions) of a population with five times the bad rate.

    The richer share of bad providers gives the clean-onboarding comparison statistical power;
    nothing about onboarding depends on the base rate.
    """
    rates = {k: 5 * v for k, v in DEFAULT_ARCHETYPE_RATES.items()}
    config = GeneratorConfig(accounts=2000, seed=33, archetype_rates=rates, render_documents=False)
    world = make_world(config)
    return [Onboarding(*build_onboarding(s, config, world)) for s in draw_population(config, world)]


def _bank_accounts(account: dict[str, Any]) -> list[dict[str, Any]]:
    return account.get("external_accounts", {}).get("data", [])


def onboarding_flags(items: list[Onboarding]) -> pd.DataFrame:
    """Red flags a reviewer can read off an Account object and its documents, per account."""
    fingerprints = Counter(b["fingerprint"] for o in items for b in _bank_accounts(o.account))
    rows = []
    for o in items:
        a, req = o.account, o.account["requirements"]
        banks = _bank_accounts(a)
        legal = a.get("company", {}).get("name") or "{first_name} {last_name}".format(
            **a.get("individual", {"first_name": "", "last_name": ""})
        )
        registered = a.get("company", {}).get("registration_date")
        new = registered is not None and (
            np.datetime64(a["created"], "s")
            - np.datetime64(f"{registered['year']:04d}-{registered['month']:02d}-01")
        ) < np.timedelta64(120, "D")
        rows.append(
            {
                "error": bool(req["errors"]),
                "past_due": bool(req["past_due"]),
                "pending": bool(req["pending_verification"]),
                "under_review": req["disabled_reason"] == "under_review",
                "no_url": a["business_profile"]["url"] is None,
                "foreign_bank": any(b["country"] != a["country"] for b in banks),
                "shared_bank": any(fingerprints[b["fingerprint"]] > 1 for b in banks),
                "bank_failed": any(
                    b["status"] in ("verification_failed", "errored") for b in banks
                ),
                "no_documents": not o.documents,
                "tampered_document": any(d.tamper for d in o.documents),
                "name_differs": any(d.shown.legal_name != legal for d in o.documents),
                "new_company": bool(new),
            }
        )
    return pd.DataFrame(rows)


def indicator_frame(bundles: list[Bundle]) -> pd.DataFrame:
    """Binary indicators a naive model could key on: each account field value, each
    requirement and error code, each document trait and each transaction code, per account."""
    items = [Onboarding(b.plan, b.documents, b.account) for b in bundles]
    frame = onboarding_flags(items).add_prefix("flag:")
    rows = []
    for b in bundles:
        a, req = b.account, b.account["requirements"]
        row = {f"{k}={a[k]}": True for k in ("country", "type", "business_type")}
        row[f"mcc={a['business_profile']['mcc']}"] = True
        row[f"interval={a['settings']['payouts']['schedule']['interval']}"] = True
        row[f"disabled={req['disabled_reason']}"] = True
        for key in ("currently_due", "eventually_due", "past_due", "pending_verification"):
            row.update({f"{key}={f}": True for f in req[key]})
        row.update({f"error={e['code']}": True for e in req["errors"]})
        row.update({f"bank_status={x['status']}": True for x in _bank_accounts(a)})
        row[f"documents={len(b.documents)}"] = True
        for d in b.documents:
            row[f"producer={d.producer}"] = True
            row.update({f"tamper={t}": True for t in d.tamper})
            row[f"broken={d.breakage}"] = True
        rows.append(row)
    accounts = pd.DataFrame(rows).fillna(False).astype(bool)
    tx = movements_frame([b.plan.account_id for b in bundles], [b.movements for b in bundles], 0)
    tx["i"] = np.repeat(np.arange(len(bundles)), [len(b.movements) for b in bundles])
    codes = pd.crosstab(tx["i"], "code=" + tx["failure_code"].where(tx["failure_code"] != ""))
    statuses = pd.crosstab(tx["i"], tx["type"] + ":" + tx["status"])
    money = pd.concat([codes, statuses], axis=1).reindex(range(len(bundles)), fill_value=0) > 0
    charges = tx[tx["type"] == "charge"].groupby("i")
    money["charge_fail_rate>0.3"] = (
        charges["status"]
        .apply(lambda s: (s == "failed").mean() > 0.3)
        .reindex(range(len(bundles)), fill_value=False)
    )
    return pd.concat([frame, accounts, money], axis=1).astype(bool)


@pytest.fixture(scope="session")
def read_dataset():
    """`read_tables`, for tests that write their own dataset."""
    return read_tables


@pytest.fixture(scope="session")
def onboarding_red_flags(onboarding_population) -> pd.DataFrame:
    """`onboarding_flags` of the onboarding population, one row per account."""
    return onboarding_flags(onboarding_population)


@pytest.fixture(scope="session")
def population_indicators(population) -> pd.DataFrame:
    """`indicator_frame` of the population, one row per account."""
    return indicator_frame(population)
