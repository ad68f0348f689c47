"""A small valid dataset directory, written afresh for each test that breaks one of its files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

T0 = 1_735_689_600  # 2025-01-01T00:00:00Z: every timestamp below is seconds after it
TRANSACTIONS = [
    # id, account, created, type, amount, currency, status, card_country, card, customer, failure
    ("ch_1", "acct_a", T0 + 1000, "charge", 1500, "usd", "succeeded", "US", "fp1", "cus_1", ""),
    ("ch_2", "acct_a", T0 + 1200, "charge", 900, "usd", "failed", "GB", "fp2", "", "incorrect_cvc"),
    ("re_1", "acct_a", T0 + 1300, "refund", 500, "usd", "succeeded", "", "", "", ""),
    ("dp_1", "acct_b", T0 + 1100, "dispute", 700, "eur", "lost", "", "", "", ""),
    ("po_1", "acct_b", T0 + 1400, "payout", 3000, "jpy", "pending", "", "", "", ""),
]
COLUMNS = [
    "id",
    "account",
    "created",
    "type",
    "amount",
    "currency",
    "status",
    "card_country",
    "card_fingerprint",
    "customer",
    "failure_code",
]


def write_dataset(root: Path) -> Path:
    """accounts a, b, c (c without transactions), transactions, labels, snapshots, documents."""
    root.mkdir(parents=True, exist_ok=True)
    accounts = [{"id": f"acct_{x}", "object": "account", "country": "US"} for x in "abc"]
    (root / "accounts.jsonl").write_text("".join(json.dumps(a) + "\n" for a in accounts))
    frame = pd.DataFrame(TRANSACTIONS, columns=COLUMNS)
    frame.insert(3, "note", "extra column")  # unknown columns are allowed
    frame.to_csv(root / "transactions.csv", index=False)
    (root / "labels.csv").write_text(
        f"account,label,labeled_at,reason\nacct_a,1,{T0 + 2000},fraud\n"
    )
    (root / "snapshots.csv").write_text(f"account,as_of\nacct_a,{T0 + 1250}\nacct_b,{T0 + 5000}\n")
    for name in ("b.pdf", "a.PDF", "notes.txt"):
        (root / "documents" / "acct_a" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "documents" / "acct_a" / name).write_bytes(b"%PDF-1.4 test")
    (root / "documents" / "acct_zz").mkdir()
    (root / "documents" / "acct_zz" / "x.pdf").write_bytes(b"%PDF-1.4")
    return root


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    """A fresh valid dataset directory."""
    return write_dataset(tmp_path / "dataset")
