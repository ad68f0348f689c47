"""Dataset summaries for the data-exploration notebook, on a hand-written dataset directory."""

from __future__ import annotations

import pandas as pd
import pytest

from features.documents import DocumentEvidence
from training.dataset import load_dataset
from training.featurize import parse_dataset_documents
from training.review import explore


@pytest.fixture
def dataset(dataset_dir):
    return load_dataset(dataset_dir)


def test_sizes_count_every_part(dataset) -> None:
    sizes = explore.sizes(dataset)
    assert sizes["accounts"] == 3 and sizes["transactions"] == 7
    assert sizes["transactions_charge"] == 4 and sizes["transactions_payout"] == 1
    assert sizes["document_files"] == 3 and sizes["accounts_with_documents"] == 2
    assert sizes["labelled_accounts"] == 2 and sizes["positive_labels"] == 1
    assert sizes["snapshots"] == 0


def test_label_rates_by_segment_and_signup_month(dataset) -> None:
    accounts = explore.account_table(dataset)
    assert accounts.set_index("account")["label"].isna().tolist() == [False, False, True]
    by_country = explore.label_rates(accounts, "country")
    assert by_country.loc["US"].tolist() == [1, 1, 1.0]  # acct_c has no label: not counted
    assert by_country.loc["DE"].tolist() == [1, 0, 0.0]
    by_month = explore.label_rates_by_month(accounts)
    assert list(by_month.index) == ["2025-01", "2025-02"]
    assert by_month["rate"].tolist() == [1.0, 0.0]


def test_transaction_summary_and_months(dataset) -> None:
    summary = explore.transaction_summary(dataset.transactions)
    assert summary.loc["charge", "rows"] == 4 and summary.loc["charge", "accounts"] == 2
    assert summary.loc["charge", "status_failed"] == pytest.approx(0.25)
    assert summary.loc["dispute", "status_lost"] == 1.0
    monthly = explore.monthly_transactions(dataset.transactions)
    assert monthly.loc["2025-01", "charge"] == 1 and monthly.loc["2025-02", "charge"] == 3


def test_account_activity_includes_accounts_without_transactions(dataset) -> None:
    activity = explore.account_activity(dataset)
    assert activity.loc["acct_a"].tolist() == [4, 2, 4000]  # the failed charge is no volume
    assert activity.loc["acct_c"].tolist() == [0, 0, 0]


def test_documents_per_account_and_parse_outcomes(dataset, tmp_path) -> None:
    per_account = explore.documents_per_account(dataset)
    assert per_account.to_dict() == {0: 1, 1: 1, 2: 1}
    evidence = parse_dataset_documents(dataset, cache_dir=tmp_path / "cache")
    outcomes = explore.parse_outcomes(evidence.by_account)
    assert outcomes.to_numpy().sum() == 3
    assert "ok" not in outcomes.columns  # none of these files is a PDF
    assert explore.producer_classes(evidence.by_account).sum() == 3


def test_parse_outcomes_by_kind() -> None:
    ok = DocumentEvidence(sha256="1", size_bytes=1, kind="bank_statement")
    broken = DocumentEvidence(sha256="2", size_bytes=1, error="encrypted")
    table = explore.parse_outcomes({"acct_a": (ok, broken), "acct_b": (ok,)})
    assert table.loc["bank_statement", "ok"] == 2
    assert table.loc["unknown", "encrypted"] == 1
    assert isinstance(table, pd.DataFrame)
