"""The foreign dataset maker writes what the data contract asks for, deterministically, with
PDFs the project's parser reads (edited ones showing their incremental update)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from foreign import ForeignConfig, make_dataset
from foreign.paperwork import edited

from features.documents import parse_document
from training.dataset import load_dataset

SMALL = ForeignConfig(accounts=60, seed=4)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("foreign")
    summary = make_dataset(out, SMALL)
    assert summary.accounts == 60 and summary.documents > 0
    return out


def test_the_dataset_follows_the_contract(made):
    dataset = load_dataset(made)
    assert len(dataset.accounts) == 60
    assert dataset.snapshots is None  # consumers use their default snapshots
    assert dataset.labels is not None and set(dataset.labels["label"]) == {0, 1}
    types = set(dataset.transactions["type"])
    assert types == {"charge", "refund", "dispute", "payout"}
    assert dataset.documents  # documents/ACCOUNT/*.pdf for some accounts


def test_closures_come_after_signup_and_nothing_is_exported_after_the_window(made):
    labels = pd.read_csv(made / "labels.csv")
    accounts = load_dataset(made).accounts
    created = labels["account"].map(lambda a: accounts[a]["created"])
    assert (labels["labeled_at"] > created).all()
    end = labels.loc[labels["label"] == 0, "labeled_at"].max()
    assert pd.read_csv(made / "transactions.csv")["created"].max() < end


def test_the_same_config_writes_the_same_bytes(made, tmp_path):
    make_dataset(tmp_path, SMALL)
    for name in ("accounts.jsonl", "transactions.csv", "labels.csv"):
        assert (tmp_path / name).read_bytes() == (made / name).read_bytes()
    pdfs = sorted(p.relative_to(made) for p in (made / "documents").rglob("*.pdf"))
    assert pdfs and all((tmp_path / p).read_bytes() == (made / p).read_bytes() for p in pdfs)


def test_an_edited_pdf_parses_and_shows_its_incremental_update(made):
    original = next((made / "documents").rglob("*.pdf")).read_bytes()
    before = parse_document(original)
    after = parse_document(edited(original, "Sejda PDF Editor", 1_760_000_000))
    assert before.error is None and after.error is None
    assert after.incremental_updates == before.incremental_updates + 1
    assert after.modified_at == 1_760_000_000
