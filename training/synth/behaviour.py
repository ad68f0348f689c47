"""Draw how a provider transacts: honest traits by trade and country, and a bad scheme's parts.

Each part of a scheme shows only with some probability, and its strength scales with the
provider's intensity, so every bad provider leaves partial, noisy evidence.
"""

from __future__ import annotations

import numpy as np

from training.synth.choice import categorical, randint, uniform
from training.synth.config import DAY, World
from training.synth.countries import minor_per_usd
from training.synth.mcc import MerchantCategory
from training.synth.plan import Archetype
from training.synth.provider import Scheme, Traits

_SEASONS = {
    "5691": "retail",
    "5999": "retail",
    "5732": "retail",
    "5944": "retail",
    "5942": "retail",
    "5992": "retail",
    "4722": "travel",
    "7011": "travel",
}
# Small countries sell abroad more (a Dutch shop's customers are often German).
_COUNTRY_CROSS_BORDER = {"NL": 1.6, "IE": 1.8, "SG": 1.7, "US": 0.6, "JP": 0.7}


_ENDINGS = np.array([0.45, 0.35, 0.1, 0.1])


def _prices(values: np.ndarray, currency: str, rng: np.random.Generator) -> tuple[int, ...]:
    """Round catalogue prices the way shops do: whole units, .99, .95 or .50 endings."""
    if currency == "jpy":
        return tuple(int(v) for v in np.maximum(50, np.round(values / 10) * 10))
    endings = np.array([0, 99, 50, 95])[categorical(rng, _ENDINGS, len(values))]
    return tuple(int(v) for v in np.maximum(50, (values // 100) * 100 + endings))


def draw_traits(
    rng: np.random.Generator,
    *,
    category: MerchantCategory,
    country: str,
    currency: str,
    business_type: str,
    created: int,
    world: World,
) -> Traits:
    """Honest transaction habits of a provider in `category` (heavy-tailed volume)."""
    size = {"company": 1.6, "individual": 0.6}.get(business_type, 1.0)
    ticket_factor = (45.0 / category.ticket_usd) ** 0.35
    daily_rate = min(150.0, rng.lognormal(np.log(0.18), 1.45) * size * ticket_factor)
    ticket = category.ticket_usd * rng.lognormal(0, 0.35) * minor_per_usd(currency)
    n_prices = randint(rng, 1, 25)
    prices = rng.lognormal(np.log(ticket), category.ticket_sigma * 0.8, n_prices)
    spike = None
    if rng.random() < 0.2:
        begin = randint(rng, created, max(created + 1, world.end - 3 * DAY))
        spike = (begin, begin + int(uniform(rng, 3, 30) * DAY), float(uniform(rng, 2, 6)))
    dormant = int(created + uniform(rng, 30, 300) * DAY) if rng.random() < 0.08 else None
    cross = category.cross_border * _COUNTRY_CROSS_BORDER.get(country, 1.0)
    return Traits(
        daily_rate=float(daily_rate),
        ramp_days=float(uniform(rng, 3, 60)),
        ticket=float(ticket),
        ticket_sigma=float(category.ticket_sigma * uniform(rng, 0.7, 1.2)),
        price_points=_prices(prices, currency, rng),
        catalogue_share=float(uniform(rng, 0.2, 0.9)),
        round_share=float(uniform(rng, 0, 0.4)),
        fail_rate=float(uniform(rng, 0.02, 0.10)),
        refund_rate=float(min(0.5, category.refund_rate * rng.lognormal(0, 0.5))),
        dispute_rate=float(min(0.2, category.dispute_rate * rng.lognormal(0, 0.6))),
        dispute_loss=float(uniform(rng, 0.3, 0.6)),
        cross_border=float(np.clip(cross * rng.lognormal(0, 0.5), 0.0, 0.95)),
        guest_share=float(uniform(rng, 0.05, 0.5)),
        non_card_share=float(uniform(rng, 0, 0.08)),
        customers_per_charge=float(uniform(rng, 0.3, 1.0)),
        multi_currency=bool(rng.random() < 0.1),
        business_hours=float(uniform(rng, 0.5, 0.9)),
        weekend_factor=float(uniform(rng, 0.4, 1.3)),
        season=_SEASONS.get(category.mcc, "flat"),
        spike=spike,
        dormant_from=dormant,
        payout_fail_rate=float(uniform(rng, 0.02, 0.1)) if rng.random() < 0.1 else 0.0,
        instant_payouts=bool(rng.random() < (0.12 if business_type == "individual" else 0.04)),
    )


def _part(rng: np.random.Generator, probability: float) -> bool:
    return bool(rng.random() < probability)


def _days(rng: np.random.Generator, low: float, high: float) -> int:
    return int(uniform(rng, low, high) * DAY)


def _share(
    rng: np.random.Generator, probability: float, low: float, high: float, i: float
) -> float:
    """A share that is present with `probability`, scaled by intensity `i`."""
    return float(uniform(rng, low, high) * i) if _part(rng, probability) else 0.0


def draw_scheme(
    rng: np.random.Generator,
    archetype: Archetype,
    *,
    intensity: float,
    created: int,
    ring_opened: int,
) -> Scheme | None:
    """The parts of `archetype`'s abuse this provider shows, and when it starts."""
    if archetype is Archetype.GOOD:
        return None
    i = intensity
    if archetype is Archetype.FORGED_DOCUMENTS:
        return Scheme(
            created + _days(rng, 0, 5),
            i,
            stolen_share=_share(rng, 0.6, 0.1, 0.6, i),
            bad_dispute_rate=float(uniform(rng, 0.15, 0.4)),
            instant_payouts=_part(rng, 0.3),
        )
    if archetype is Archetype.BUST_OUT:
        return Scheme(
            created + _days(rng, 25, 150),
            i,
            volume_boost=3 + 25 * i * uniform(rng, 0.5, 1.0) if _part(rng, 0.85) else 1.0,
            ticket_boost=float(uniform(rng, 1.5, 4.0)) if _part(rng, 0.6) else 1.0,
            stolen_share=_share(rng, 0.6, 0.3, 0.9, i),
            bad_dispute_rate=float(uniform(rng, 0.2, 0.5)),
            instant_payouts=_part(rng, 0.6),
        )
    if archetype is Archetype.CARD_TESTING:
        return Scheme(
            created + _days(rng, 1, 40),
            i,
            test_bursts=1 + randint(rng, 0, 1 + int(4 * i)),
            burst_size=int(10 + 300 * i * uniform(rng, 0.2, 1.0)),
            burst_fail_rate=float(uniform(rng, 0.55, 0.95)),
            bad_dispute_rate=float(uniform(rng, 0.05, 0.3)),
            stolen_share=_share(rng, 0.3, 0.05, 0.3, i),
        )
    if archetype is Archetype.COLLUSION_RING:
        return Scheme(
            max(created, ring_opened) + _days(rng, 0, 10),
            i,
            volume_boost=float(uniform(rng, 2.0, 6.0)),
            ring_share=float(0.2 + 0.7 * i * uniform(rng, 0.5, 1.0)),
            ring_disputes=_part(rng, 0.5),
            round_amounts=_part(rng, 0.6),
            bad_dispute_rate=float(uniform(rng, 0.1, 0.35)),
            instant_payouts=_part(rng, 0.5),
        )
    if archetype is Archetype.REFUND_ABUSE:
        return Scheme(
            created + _days(rng, 10, 90),
            i,
            refund_rate=float(0.1 + 0.5 * i * uniform(rng, 0.5, 1.0)),
            stolen_share=_share(rng, 0.3, 0.05, 0.3, i),
            bad_dispute_rate=float(uniform(rng, 0.1, 0.3)),
            instant_payouts=_part(rng, 0.5),
        )
    if archetype is Archetype.INDUSTRY_MISREPRESENTATION:
        return Scheme(
            created,
            i,
            stolen_share=_share(rng, 0.4, 0.05, 0.3, i),
            bad_dispute_rate=float(uniform(rng, 0.1, 0.3)),
        )
    return Scheme(  # payout-account risk
        created + _days(rng, 0, 30),
        i,
        instant_payouts=_part(rng, 0.8),
        payout_fail_rate=float(uniform(rng, 0.1, 0.5) * (0.5 + i)) if _part(rng, 0.7) else 0.0,
        stolen_share=_share(rng, 0.4, 0.1, 0.4, i),
        bad_dispute_rate=float(uniform(rng, 0.15, 0.4)),
    )
