"""Draw a provider's card charges: honest sales, and the charges its scheme adds or alters."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from training.synth import cardholders as ch
from training.synth.choice import categorical, randint, uniform
from training.synth.config import DAY, World
from training.synth.countries import COUNTRIES, COUNTRY_BY_CODE, minor_per_usd
from training.synth.provider import ProviderPlan

CURRENCIES: tuple[str, ...] = tuple(sorted({c.currency for c in COUNTRIES}))
CHARGE_FAILURES = (
    "card_declined",
    "insufficient_funds",
    "expired_card",
    "incorrect_cvc",
    "processing_error",
    "incorrect_number",
)
_HONEST_FAILURES = np.array([0.45, 0.25, 0.10, 0.10, 0.05, 0.05])
_TESTING_FAILURES = np.array([0.45, 0.05, 0.10, 0.20, 0.05, 0.15])
_TEST_AMOUNTS_USD = np.array([0.5, 1.0, 1.0, 1.0, 2.0, 3.0, 5.0])
MAX_CHARGES = 40_000  # per account, so one whale cannot dominate memory
# Monthly demand multipliers, January first.
SEASONS = {
    "flat": np.ones(12),
    "retail": np.array([0.85, 0.8, 0.9, 0.9, 0.95, 0.95, 0.9, 0.95, 1.0, 1.1, 1.5, 1.8]),
    "travel": np.array([0.7, 0.75, 0.9, 1.0, 1.1, 1.4, 1.6, 1.5, 1.1, 0.9, 0.7, 0.9]),
}
_STOLEN_OFFSET, _BURST_OFFSET = 0, 1 << 22


@dataclass(frozen=True)
class Charges:
    """One provider's charges as parallel arrays, sorted by time."""

    created: np.ndarray  # int64 Unix seconds
    amount: np.ndarray  # int64 minor units
    currency: np.ndarray  # int8 index into CURRENCIES
    failure: np.ndarray  # int8 index into CHARGE_FAILURES, -1 for succeeded
    card: np.ndarray  # int64 card index, -1 for non-card charges
    customer: np.ndarray  # int64 customer index, -1 for guest checkouts
    card_country: np.ndarray  # int16 index into COUNTRIES, -1 without a card
    tainted: np.ndarray  # bool: on a stolen or ring card, so likely to be disputed

    def __len__(self) -> int:
        return len(self.created)


def _concat(parts: list[Charges]) -> Charges:
    merged = Charges(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in Charges.__dataclass_fields__)
    )
    order = np.argsort(merged.created, kind="stable")
    return Charges(*(getattr(merged, f)[order] for f in Charges.__dataclass_fields__))


def _empty() -> Charges:
    i64 = np.zeros(0, np.int64)
    return Charges(
        i64,
        i64,
        np.zeros(0, np.int8),
        np.zeros(0, np.int8),
        i64,
        i64,
        np.zeros(0, np.int16),
        np.zeros(0, bool),
    )


def trading_window(plan: ProviderPlan, world: World) -> tuple[int, int]:
    """First and (exclusive) last second at which the provider takes payments."""
    first = plan.created + int(DAY // 2)
    last = min(plan.outcome.stops_at, world.end)
    if plan.traits.dormant_from is not None:
        last = min(last, plan.traits.dormant_from)
    return first, last


def _daily_counts(
    plan: ProviderPlan, rng: np.random.Generator, first: int, last: int
) -> tuple[np.ndarray, np.ndarray]:
    t, s = plan.traits, plan.scheme
    days = np.arange(first // DAY, (last - 1) // DAY + 1, dtype=np.int64)
    mid = days * DAY + DAY // 2
    rate = t.daily_rate * (1.0 - np.exp(-(mid - plan.created) / (t.ramp_days * DAY)))
    rate = rate * np.where((days + 3) % 7 >= 5, t.weekend_factor, 1.0)  # 1970-01-01: Thursday
    month = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    rate = rate * SEASONS[t.season][month]
    if t.spike is not None:
        rate = np.where((mid >= t.spike[0]) & (mid < t.spike[1]), rate * t.spike[2], rate)
    if s is not None:
        rate = np.where(mid >= s.starts_at, rate * s.volume_boost, rate)
    counts = rng.poisson(rate)
    if counts.sum() > MAX_CHARGES:
        counts = rng.binomial(counts, MAX_CHARGES / counts.sum())
    return days, counts


def _amounts(plan: ProviderPlan, rng: np.random.Generator, n: int) -> np.ndarray:
    t = plan.traits
    prices = np.asarray(t.price_points, dtype=np.float64)
    pick = (len(prices) * rng.random(n) ** 1.5).astype(np.int64)
    free = t.ticket * rng.lognormal(0.0, t.ticket_sigma, n)
    amount = np.where(rng.random(n) < t.catalogue_share, prices[pick], free)
    unit = 1000.0 if plan.currency == "jpy" else 100.0
    rounded = rng.random(n) < t.round_share
    return np.where(rounded, np.maximum(1, np.round(amount / unit)) * unit, np.round(amount))


def _honest(
    plan: ProviderPlan, world: World, rng: np.random.Generator, first: int, last: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    t = plan.traits
    days, counts = _daily_counts(plan, rng, first, last)
    n = int(counts.sum())
    day = np.repeat(days, counts)
    hour = np.where(
        rng.random(n) < t.business_hours, rng.normal(14.0, 3.2, n), rng.uniform(0.0, 24.0, n)
    )
    offset = COUNTRY_BY_CODE[plan.country].utc_offset
    created = day * DAY + (((hour - offset) % 24.0) * 3600).astype(np.int64)
    created = np.sort(created[(created >= first) & (created < last)])
    n = len(created)
    home = ch.country_index(plan.country)
    base = ch.draw_pool_customers(
        rng, world, home, max(1, int(n * t.customers_per_charge)) + 1, t.cross_border
    )
    customer = base[(len(base) * rng.random(n) ** 1.6).astype(np.int64)]
    card = customer * ch.CARDS_PER_CUSTOMER + (rng.random(n) < 0.08)
    country = ch.pool_country(world, customer)
    customer = np.where(rng.random(n) < t.guest_share, -1, customer)
    non_card = rng.random(n) < t.non_card_share
    card, country = np.where(non_card, -1, card), np.where(non_card, -1, country).astype(np.int16)
    return created, _amounts(plan, rng, n), card, customer, country


def _test_bursts(
    plan: ProviderPlan, world: World, rng: np.random.Generator, first: int, last: int
) -> Charges:
    s = plan.scheme
    assert s is not None
    parts = []
    for b in range(s.test_bursts):
        start = randint(rng, max(first, min(s.starts_at, last - 1)), max(first + 1, last))
        size = max(5, int(s.burst_size * uniform(rng, 0.5, 1.5)))
        created = np.sort(
            start + rng.uniform(0, uniform(rng, 600, 6 * 3600), size).astype(np.int64)
        )
        size = int((created < last).sum())
        created = created[:size]
        pool = ch.fresh_cards(plan.index, size, _BURST_OFFSET + (b << 16))
        card = pool[(size * rng.random(size)).astype(np.int64)]
        picks = (rng.random(size) * len(_TEST_AMOUNTS_USD)).astype(np.int64)
        amount = np.round(_TEST_AMOUNTS_USD[picks] * minor_per_usd(plan.currency))
        failed = rng.random(size) < s.burst_fail_rate
        failure = np.where(failed, categorical(rng, _TESTING_FAILURES, size), -1)
        customer = np.where(
            rng.random(size) < 0.9, -1, ch.fresh_cards(plan.index, size, _BURST_OFFSET + (b << 16))
        )
        parts.append(
            Charges(
                created,
                amount.astype(np.int64),
                np.full(size, CURRENCIES.index(plan.currency), np.int8),
                failure.astype(np.int8),
                card,
                customer,
                ch.hashed_card_country(card, world.salt),
                np.ones(size, bool),
            )
        )
    return _concat(parts) if parts else _empty()


def draw_charges(plan: ProviderPlan, world: World, rng: np.random.Generator) -> Charges:
    """Every charge the provider takes between sign-up and closure (or the window's end)."""
    first, last = trading_window(plan, world)
    if last <= first:
        return _empty()
    t, s = plan.traits, plan.scheme
    created, amount, card, customer, country = _honest(plan, world, rng, first, last)
    n = len(created)
    tainted = np.zeros(n, bool)
    fail_rate = np.full(n, t.fail_rate)
    if s is not None:
        after = created >= s.starts_at
        amount = np.where(after, amount * s.ticket_boost, amount)
        stolen = after & (rng.random(n) < s.stolen_share)
        k = int(stolen.sum())
        card[stolen] = ch.fresh_cards(plan.index, k, _STOLEN_OFFSET)
        customer[stolen] = np.where(rng.random(k) < 0.5, -1, ch.fresh_cards(plan.index, k))
        ring = after & ~stolen & (rng.random(n) < s.ring_share) & (plan.ring >= 0)
        picks = (ch.RING_CARDS * rng.random(int(ring.sum())) ** 1.3).astype(np.int64)
        card[ring] = ch.ring_cards(plan.ring, picks)
        customer[ring] = ch.ring_cards(plan.ring, picks)
        if s.round_amounts:
            unit = 1000  # ten whole units of any of our currencies (1,000 yen; 10.00 elsewhere)
            amount = np.where(ring, np.maximum(1, np.round(amount / unit)) * unit, amount)
        hashed = stolen | ring
        country[hashed] = ch.hashed_card_country(card[hashed], world.salt)
        tainted = stolen | (ring & s.ring_disputes)
        fail_rate = np.where(stolen, t.fail_rate + 0.15, fail_rate)
    minimum = round(0.5 * minor_per_usd(plan.currency))
    amount = np.maximum(minimum, np.round(amount)).astype(np.int64)
    currency = np.full(n, CURRENCIES.index(plan.currency), np.int8)
    if t.multi_currency:
        local = (country >= 0) & (country != ch.country_index(plan.country))
        local &= rng.random(n) < 0.5
        for idx in np.unique(country[local]):
            rows = local & (country == idx)
            cur = COUNTRIES[idx].currency
            rate = minor_per_usd(cur) / minor_per_usd(plan.currency)
            amount[rows] = np.maximum(
                round(0.5 * minor_per_usd(cur)), np.round(amount[rows] * rate)
            )
            currency[rows] = CURRENCIES.index(cur)
    failed = rng.random(n) < fail_rate
    failure = np.where(failed, categorical(rng, _HONEST_FAILURES, n), -1).astype(np.int8)
    honest = Charges(created, amount, currency, failure, card, customer, country, tainted)
    if s is not None and s.test_bursts:
        return _concat([honest, _test_bursts(plan, world, rng, first, last)])
    return honest
