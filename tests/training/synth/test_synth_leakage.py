"""No single field gives the label away: every signal is partial and occurs among honest ones."""

from __future__ import annotations

import numpy as np
import pytest

from training.synth.plan import Archetype


@pytest.fixture(scope="module")
def indicators(population_indicators):
    return population_indicators


def test_indicators_cover_accounts_documents_and_money(indicators):
    names = set(indicators.columns)
    for prefix in (
        "flag:",
        "error=",
        "mcc=",
        "producer=",
        "tamper=",
        "code=",
        "payout:",
        "dispute:",
    ):
        assert any(n.startswith(prefix) for n in names), prefix
    assert len(names) > 150


@pytest.mark.parametrize("target", ["label", "bad"])
def test_no_single_indicator_predicts_the_label(population, indicators, target):
    if target == "label":
        y = np.array([b.plan.outcome.label for b in population], dtype=bool)
    else:
        y = np.array([b.plan.archetype is not Archetype.GOOD for b in population])
    offenders = []
    for name in indicators.columns:
        x = indicators[name].to_numpy()
        if not x.any():
            continue
        precision, recall = y[x].mean(), x[y].mean()
        if precision >= 0.9 and recall > 0.5:
            offenders.append((name, precision, recall))
    assert offenders == []


def test_bad_signals_also_occur_among_honest_providers(population, indicators):
    good = np.array([b.plan.archetype is Archetype.GOOD for b in population])
    for name in (
        "flag:tampered_document",
        "flag:shared_bank",
        "flag:foreign_bank",
        "flag:error",
        "payout:failed",
        "dispute:lost",
        "charge_fail_rate>0.3",
    ):
        assert indicators.loc[good, name].sum() >= 5, name
