"""Properties of the generator's building blocks, over widely varying inputs."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from training.synth.charges import draw_charges
from training.synth.choice import categorical, weighted_choice
from training.synth.config import DAY, GeneratorConfig, make_world
from training.synth.ids import hashed_tokens, optional_ids, random_tokens
from training.synth.names import fill_pattern
from training.synth.outcomes import ONBOARDING_REVIEW, snapshot_times
from training.synth.payouts import draw_payouts
from training.synth.plan import Archetype
from training.synth.profile import account_rng, draw_plan
from training.synth.provider import Outcome, ProviderSeed
from training.synth.reversals import draw_disputes, draw_refunds

WORLD = make_world(GeneratorConfig(accounts=1000, seed=9))


@given(st.text(alphabet="#A-/ xy09", max_size=24), st.integers(0, 2**32))
def test_fill_pattern_fills_only_placeholders(pattern, seed):
    filled = fill_pattern(pattern, np.random.default_rng(seed))
    assert len(filled) == len(pattern)
    for p, c in zip(pattern, filled, strict=True):
        if p == "#":
            assert c.isdigit()
        elif p == "A":
            assert c.isupper() and c.isalpha()
        else:
            assert c == p


@given(st.lists(st.integers(0, 2**40), min_size=1, max_size=50), st.integers(0, 2**48))
def test_hashed_ids_are_stable_and_salted(indices, salt):
    values = np.array(indices)
    first = hashed_tokens(values, salt, 16)
    assert (first == hashed_tokens(values, salt, 16)).all()
    assert all(len(t) == 16 and t.isalnum() for t in first)
    assert len(set(first)) == len(set(indices))
    assert (first != hashed_tokens(values, salt + 1, 16)).any()


def test_optional_ids_are_empty_for_missing_entities():
    ids = optional_ids(np.array([5, -1, 7]), 3, "cus_", 14)
    assert ids[1] == "" and ids[0].startswith("cus_") and len(ids[2]) == 18


def test_random_tokens_do_not_repeat():
    tokens = random_tokens(np.random.default_rng(0), 100_000, 24)
    assert len(set(tokens)) == len(tokens)


@given(
    st.dictionaries(st.text(min_size=1, max_size=3), st.floats(0, 10), min_size=1),
    st.integers(0, 2**32),
)
def test_weighted_choice_never_picks_a_zero_weight(options, seed):
    if sum(options.values()) == 0:
        return
    assert options[weighted_choice(np.random.default_rng(seed), options)] > 0


def test_categorical_follows_its_weights():
    draws = categorical(np.random.default_rng(1), np.array([0.7, 0.0, 0.3]), 20_000)
    share = np.bincount(draws, minlength=3) / len(draws)
    assert share[1] == 0 and abs(share[0] - 0.7) < 0.02


@given(st.integers(WORLD.start, WORLD.end - 2 * DAY), st.integers(1, 400))
def test_snapshots_are_spaced_and_before_the_label(created, days_open):
    labeled_at = min(WORLD.end, created + days_open * DAY)
    outcome = Outcome(1, labeled_at, "fraud", labeled_at)
    times = snapshot_times(created, outcome, WORLD)
    assert times[0] == created + ONBOARDING_REVIEW
    assert all(b - a == 30 * DAY for a, b in zip(times, times[1:], strict=False))
    assert times[-1] < labeled_at


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 100_000), st.sampled_from(list(Archetype)), st.booleans())
def test_money_follows_the_books(index, archetype, clean):
    seed = ProviderSeed(index, archetype, clean_onboarding=clean, good_closure=False)
    rng = account_rng((9,), index)
    plan = draw_plan(seed, WORLD, rng)
    charges = draw_charges(plan, WORLD, rng)
    refunds = draw_refunds(plan, charges, WORLD, rng)
    disputes = draw_disputes(plan, charges, refunds.source, WORLD, rng)
    payouts = draw_payouts(plan, charges, refunds, disputes, WORLD, rng)
    stop = plan.outcome.stops_at
    assert (np.diff(charges.created) >= 0).all()
    for created in (charges.created, refunds.created, disputes.created, payouts.created):
        assert ((created > plan.created) & (created < stop)).all()
    ok = charges.failure < 0
    for reversal in (refunds, disputes):
        source = reversal.source
        assert ok[source].all()
        assert (reversal.created > charges.created[source]).all()
        assert (reversal.amount <= charges.amount[source]).all() and (reversal.amount > 0).all()
    assert len(np.intersect1d(refunds.source, disputes.source)) == 0
    assert (payouts.amount > 0).all()
    single_currency = plan.bank.currency == plan.currency and not plan.traits.multi_currency
    if single_currency:
        assert payouts.amount[payouts.status != 1].sum() <= charges.amount[ok].sum()
