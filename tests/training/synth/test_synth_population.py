"""Who is bad and how: archetype rates, rings, shared bank accounts, clean-looking bad ones."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pytest

from training.synth.config import DAY, DEFAULT_ARCHETYPE_RATES, GeneratorConfig, make_world
from training.synth.dataset import iter_bundles
from training.synth.plan import Archetype
from training.synth.population import draw_population


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_archetypes_at_their_configured_rates(seed):
    config = GeneratorConfig(accounts=20_000, seed=seed)
    seeds = draw_population(config, make_world(config))
    counts = Counter(s.archetype for s in seeds)
    for archetype, rate in DEFAULT_ARCHETYPE_RATES.items():
        assert abs(counts[archetype] - rate * config.accounts) <= 1, archetype
    bad = 1 - counts[Archetype.GOOD] / config.accounts
    assert 0.02 <= bad <= 0.06


def test_custom_rates_are_honoured():
    rates = {Archetype.CARD_TESTING: 0.05, Archetype.BUST_OUT: 0.01}
    config = GeneratorConfig(accounts=5000, seed=3, archetype_rates=rates)
    counts = Counter(s.archetype for s in draw_population(config, make_world(config)))
    assert abs(counts[Archetype.CARD_TESTING] - 250) <= 1
    assert counts[Archetype.FORGED_DOCUMENTS] == 0


def test_every_archetype_is_present_and_caught_given_time(population):
    assert {b.plan.archetype for b in population} == set(Archetype)
    # Bad providers who signed up early enough are nearly all caught within the window; later
    # ones may be caught only after it (label 0, as undetected fraud in a real export).
    end = max(b.plan.outcome.labeled_at for b in population)
    by_archetype = defaultdict(list)
    for b in population:
        if b.plan.created < end - 200 * DAY:
            by_archetype[b.plan.archetype].append(b.plan.outcome.label)
    for archetype, labels in by_archetype.items():
        if archetype is Archetype.GOOD:
            assert np.mean(labels) < 0.01  # label noise: a few honest providers closed
        else:
            assert np.mean(labels) > 0.7, archetype
    label_rate = np.mean([b.plan.outcome.label for b in population])
    assert 0.02 <= label_rate <= 0.06


@pytest.fixture(scope="module")
def ring_bundles():
    """A marketplace where one provider in ten belongs to a collusion ring."""
    config = GeneratorConfig(
        accounts=400,
        seed=5,
        archetype_rates={Archetype.COLLUSION_RING: 0.1},
        render_documents=False,
    )
    return [b for b in iter_bundles(config) if b.plan.ring >= 0]


def test_collusion_rings_share_cards_across_members(ring_bundles):
    rings = defaultdict(list)
    for b in ring_bundles:
        rings[b.plan.ring].append(set(b.movements.card[b.movements.card >= 0].tolist()))
    assert len(rings) >= 5
    assert all(3 <= len(members) <= 8 for members in rings.values())
    sharing = 0
    for members in rings.values():
        seen = Counter(card for cards in members for card in cards)
        sharing += any(count > 1 for count in seen.values())
    assert sharing >= 0.8 * len(rings)


def test_ring_members_sign_up_together(ring_bundles):
    created = defaultdict(list)
    for b in ring_bundles:
        created[b.plan.ring].append(b.plan.created)
    assert all(max(c) - min(c) <= 15 * DAY for c in created.values())


def test_honest_customers_also_shop_at_several_providers(population):
    good_cards = Counter()
    for b in population:
        if b.plan.archetype is Archetype.GOOD:
            good_cards.update(set(b.movements.card[b.movements.card >= 0].tolist()))
    assert sum(1 for c in good_cards.values() if c > 1) > 100


def test_a_third_of_bad_providers_look_clean_at_onboarding(onboarding_population):
    bad = [o for o in onboarding_population if o.plan.archetype is not Archetype.GOOD]
    clean = np.mean([o.plan.clean_onboarding for o in bad])
    assert abs(clean - 1 / 3) < 0.03
    assert not any(
        o.plan.clean_onboarding for o in bad if o.plan.archetype is Archetype.FORGED_DOCUMENTS
    )


def test_clean_bad_onboarding_is_indistinguishable_from_good(
    onboarding_population, onboarding_red_flags
):
    flags = onboarding_red_flags.sum(axis=1).to_numpy()
    kind = np.array(
        [
            "good"
            if o.plan.archetype is Archetype.GOOD
            else "clean"
            if o.plan.clean_onboarding
            else "showing"
            for o in onboarding_population
        ]
    )
    good, clean, showing = (flags[kind == k] for k in ("good", "clean", "showing"))
    se = np.sqrt(good.var() / len(good) + clean.var() / len(clean))
    assert abs(clean.mean() - good.mean()) < 3 * se
    assert showing.mean() > good.mean() + 0.5
    # Showing providers show some, not all, of their archetype's signals.
    assert (flags[kind == "showing"] == 0).mean() > 0.02
