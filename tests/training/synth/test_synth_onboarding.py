"""Onboarding document specs: who uploads what, how files were made, and forgers' traces."""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pytest

from training.synth.dataset import iter_bundles
from training.synth.onboarding import BREAKAGE_RATE
from training.synth.plan import Archetype, DocumentKind, ProducerClass, Tamper
from training.synth.provider import identity_of


@pytest.fixture(scope="module")
def documents(onboarding_population):
    return [(o.plan, d) for o in onboarding_population for d in o.documents]


def test_some_providers_upload_nothing(onboarding_population):
    good = [o for o in onboarding_population if o.plan.archetype is Archetype.GOOD]
    none = np.mean([not o.documents for o in good])
    assert 0.05 < none < 0.25
    counts = Counter(len(o.documents) for o in good)
    assert len(counts) >= 5  # from nothing to a full set


def test_kinds_producers_layouts_and_names_vary(documents):
    assert {d.kind for _, d in documents} == set(DocumentKind)
    assert {d.producer for _, d in documents} == set(ProducerClass)
    assert len({d.layout for _, d in documents}) >= 10
    names = Counter(d.filename for _, d in documents)
    assert len(names) > 60 and names.most_common(1)[0][1] < 0.1 * len(documents)
    assert all(d.filename.endswith(".pdf") for _, d in documents)
    scanned = [d for _, d in documents if d.scanned]
    assert 0.2 < len(scanned) / len(documents) < 0.6


def test_file_names_are_unique_per_provider(onboarding_population):
    for o in onboarding_population:
        names = [d.filename.lower() for d in o.documents]
        assert len(names) == len(set(names))


def test_about_one_percent_of_files_are_broken(documents):
    broken = np.mean([d.breakage is not None for _, d in documents])
    assert BREAKAGE_RATE / 3 < broken < BREAKAGE_RATE * 3


def test_file_times_precede_the_upload(documents):
    for plan, d in documents:
        assert d.created_at <= d.modified_at < plan.created
        if Tamper.MODIFIED_AFTER_CREATION in d.tamper:
            assert d.modified_at > d.created_at
    bank = [d for _, d in documents if d.kind is DocumentKind.BANK_STATEMENT]
    assert all(d.statement_totals is not None for d in bank)


def _differs(plan, spec) -> bool:
    truth = identity_of(plan)
    return any(
        getattr(spec.shown, f.name) != getattr(truth, f.name) for f in dataclasses.fields(truth)
    )


def test_every_forger_leaves_some_evidence_but_not_always_all(onboarding_population):
    forgers = [o for o in onboarding_population if o.plan.archetype is Archetype.FORGED_DOCUMENTS]
    assert len(forgers) > 30
    for o in forgers:
        assert o.documents
        assert any(_differs(o.plan, d) or d.tamper for d in o.documents)
    forged_docs = [d for o in forgers for d in o.documents if _differs(o.plan, d)]
    assert any(not d.tamper for d in forged_docs)  # a clean-looking re-typed forgery
    assert any(d.tamper for d in forged_docs)


def test_honest_documents_drift_and_get_edited(onboarding_population):
    good = [
        (o.plan, d)
        for o in onboarding_population
        if o.plan.archetype is Archetype.GOOD
        for d in o.documents
    ]
    drifted = np.mean([_differs(p, d) for p, d in good])
    edited = np.mean([bool(d.tamper) for _, d in good])
    assert 0.02 < drifted < 0.2
    assert 0.01 < edited < 0.1


def test_written_documents_match_their_specs(small_dataset, small_config):
    from training.synth.documents import render_document

    folder = small_dataset.out / "documents"
    written = {p.parent.name + "/" + p.name: p for p in folder.rglob("*.pdf")}
    planned = {}
    for bundle in iter_bundles(dataclasses.replace(small_config, render_documents=False)):
        for spec in bundle.documents:
            planned[f"{bundle.plan.account_id}/{spec.filename}"] = spec
    assert set(written) == set(planned)
    for key in sorted(planned)[:20]:
        assert written[key].read_bytes() == render_document(planned[key])
