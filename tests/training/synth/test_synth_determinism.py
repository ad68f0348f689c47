"""Same seed, same bytes (documents included), whatever the number of workers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import pytest

from training.synth.config import GeneratorConfig
from training.synth.dataset import generate, iter_bundles


def digest(out: Path) -> dict[str, str]:
    """Hash of every file under `out`, by relative path."""
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same small dataset three times (1 and 2 workers), and once with another seed."""
    made = {}
    for name, seed, workers in (("a", 3, 1), ("b", 3, 2), ("c", 3, 2), ("other", 4, 2)):
        out = tmp_path_factory.mktemp(f"determinism-{name}")
        generate(GeneratorConfig(accounts=90, seed=seed), out, workers=workers)
        made[name] = digest(out)
    return made


def test_same_seed_gives_identical_files(runs):
    assert any(name.startswith("documents/") for name in runs["b"])
    assert runs["b"] == runs["c"]


def test_result_does_not_depend_on_worker_count(runs):
    assert runs["a"] == runs["b"]


def test_another_seed_gives_other_files(runs):
    for name in ("accounts.jsonl", "transactions.csv", "labels.csv", "snapshots.csv"):
        assert runs["other"][name] != runs["a"][name], name
    assert set(runs["other"]) != set(runs["a"])  # other accounts, other document folders


def test_a_later_window_holds_other_providers():
    early = GeneratorConfig(accounts=30, seed=3, render_documents=False)
    later = dataclasses.replace(early, start=dt.date(2026, 1, 1))
    ids = [{b.plan.account_id for b in iter_bundles(c)} for c in (early, later)]
    assert not ids[0] & ids[1]


def test_a_later_start_shifts_every_timestamp(tmp_path, read_dataset):
    config = GeneratorConfig(
        accounts=40,
        seed=3,
        start=dt.date(2026, 1, 1),
        days=90,
        render_documents=False,
    )
    generate(config, tmp_path)
    tables = read_dataset(tmp_path)
    start, end = 1767225600, 1767225600 + 90 * 86_400  # 2026-01-01 UTC + 90 days
    assert tables.transactions["created"].between(start, end - 1).all()
    assert all(start <= a["created"] < end for a in tables.accounts)
    assert tables.snapshots["as_of"].between(start, end - 1).all()
    assert tables.labels.loc[tables.labels["label"] == 0, "labeled_at"].eq(end).all()
