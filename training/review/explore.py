"""Summaries of a dataset directory (DESIGN.md section 3) for the data-exploration notebook:
sizes, label rates over time and by segment, transaction volumes and amounts, documents per
account and how their parsing went. Amounts stay in each currency's minor unit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from features.documents import DocumentEvidence
from training.dataset import Dataset

MONTH = "M"
QUANTILES = (0.5, 0.9, 0.99)


def sizes(dataset: Dataset) -> pd.Series:
    """Counts of what the directory holds: accounts, transactions (all and per type), document
    files and accounts with any, labelled accounts and positives, snapshots."""
    tx = dataset.transactions
    labels = dataset.labels
    counts: dict[str, int] = {
        "accounts": len(dataset.accounts),
        "transactions": len(tx),
        **{f"transactions_{t}": int(n) for t, n in tx["type"].value_counts().sort_index().items()},
        "document_files": sum(len(paths) for paths in dataset.documents.values()),
        "accounts_with_documents": len(dataset.documents),
        "labelled_accounts": 0 if labels is None else len(labels),
        "positive_labels": 0 if labels is None else int(labels["label"].sum()),
        "snapshots": 0 if dataset.snapshots is None else len(dataset.snapshots),
    }
    return pd.Series(counts, name="count", dtype="int64")


def account_table(dataset: Dataset) -> pd.DataFrame:
    """One row per account: country, business_type, mcc, created (UTC timestamp), and its
    label (NaN when unlabelled)."""
    rows = [
        {
            "account": account,
            "country": str(obj.get("country") or "unknown"),
            "business_type": str(obj.get("business_type") or "unknown"),
            "mcc": str((obj.get("business_profile") or {}).get("mcc") or "unknown"),
            "created": obj.get("created"),
        }
        for account, obj in dataset.accounts.items()
    ]
    table = pd.DataFrame(rows, columns=["account", "country", "business_type", "mcc", "created"])
    table["created"] = pd.to_datetime(table["created"], unit="s", utc=True)
    labels = dataset.labels
    if labels is None:
        return table.assign(label=np.nan)
    return table.merge(labels[["account", "label"]], on="account", how="left")


def label_rates(accounts: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """Labelled accounts, positives and the positive rate per value of `by` (columns of
    `account_table`), largest groups first."""
    labelled = accounts.dropna(subset=["label"])
    grouped = labelled.groupby(by, dropna=False)["label"]
    table = pd.DataFrame({"accounts": grouped.size(), "bad": grouped.sum().astype("int64")})
    table["rate"] = table["bad"] / table["accounts"]
    return table.sort_values("accounts", ascending=False, kind="stable")


def label_rates_by_month(accounts: pd.DataFrame) -> pd.DataFrame:
    """Positive rate by the month accounts signed up (a cohort view of labels over time)."""
    month = accounts["created"].dt.tz_localize(None).dt.to_period(MONTH).astype(str)
    return label_rates(accounts.assign(signup_month=month), "signup_month").sort_index()


def transaction_summary(transactions: pd.DataFrame) -> pd.DataFrame:
    """Per transaction type: rows, accounts, the share of each status, and amount quantiles
    (minor units, all currencies together)."""
    grouped = transactions.groupby("type")
    table = pd.DataFrame(
        {"rows": grouped.size(), "accounts": grouped["account"].nunique()},
    )
    for q in QUANTILES:
        table[f"amount_p{round(q * 100)}"] = grouped["amount"].quantile(q)
    status = pd.crosstab(transactions["type"], transactions["status"], normalize="index")
    return table.join(status.add_prefix("status_"))


def monthly_transactions(transactions: pd.DataFrame) -> pd.DataFrame:
    """Transaction count per month (rows) and type (columns)."""
    created = pd.to_datetime(transactions["created"], unit="s")
    month = created.dt.to_period(MONTH).astype(str).rename("month")
    return pd.crosstab(month, transactions["type"])


def account_activity(dataset: Dataset) -> pd.DataFrame:
    """Per account: transactions, succeeded charges and their summed amount (accounts without
    any transaction count as zero), for the volume distribution."""
    tx = dataset.transactions
    charges = tx[(tx["type"] == "charge") & (tx["status"] == "succeeded")]
    index = pd.Index(list(dataset.accounts), name="account")
    by_charge = charges.groupby("account")
    return pd.DataFrame(
        {
            "transactions": tx.groupby("account").size().reindex(index, fill_value=0),
            "charges": by_charge.size().reindex(index, fill_value=0),
            "charge_volume": by_charge["amount"].sum().reindex(index, fill_value=0),
        }
    ).astype("int64")


def documents_per_account(dataset: Dataset) -> pd.Series:
    """How many accounts uploaded 0, 1, 2, ... document files."""
    counts = pd.Series(
        [len(dataset.documents.get(account, ())) for account in dataset.accounts], dtype="int64"
    )
    return counts.value_counts().sort_index().rename_axis("documents").rename("accounts")


def parse_outcomes(evidence: Mapping[str, Sequence[DocumentEvidence]]) -> pd.DataFrame:
    """Parsed files by document kind (rows) and outcome (columns: "ok" or the error reason)."""
    rows = [(doc.kind, doc.error or "ok") for documents in evidence.values() for doc in documents]
    frame = pd.DataFrame(rows, columns=["kind", "outcome"])
    return pd.crosstab(frame["kind"], frame["outcome"])


def producer_classes(evidence: Mapping[str, Sequence[DocumentEvidence]]) -> pd.Series:
    """Parsed files per producer class (office, scanner, editor, generator, unknown)."""
    classes = [doc.producer_class for documents in evidence.values() for doc in documents]
    return pd.Series(classes, dtype="object").value_counts().rename("files")
