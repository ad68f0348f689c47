"""Draw one provider's whole plan from its seed: who it is, what it shows, how it behaves."""

from __future__ import annotations

import numpy as np

from training.synth.behaviour import draw_scheme, draw_traits
from training.synth.choice import pick, randint, uniform, weighted_choice
from training.synth.config import DAY, World
from training.synth.countries import COUNTRY_BY_CODE, PROVIDER_COUNTRIES
from training.synth.identity import draw_business
from training.synth.ids import hashed_tokens, random_id
from training.synth.mcc import CATEGORIES, CATEGORY_BY_MCC, MerchantCategory, RiskGroup
from training.synth.names import fill_pattern
from training.synth.outcomes import draw_outcome
from training.synth.plan import Archetype
from training.synth.provider import BankAccount, PayoutSchedule, ProviderPlan, ProviderSeed
from training.synth.signals import draw_onboarding

_PUBLIC_MCCS = {
    "non_profit": {"8398": 0.6, "8299": 0.25, "7997": 0.15},
    "government_entity": {"9399": 0.7, "8299": 0.3},
}
_STRUCTURES = {
    "company": (
        "private_company",
        "private_corporation",
        "llc",
        "single_member_llc",
        "multi_member_llc",
        "private_partnership",
        "sole_proprietorship",
    ),
    "non_profit": ("incorporated_non_profit", "registered_charity", "unincorporated_non_profit"),
    "government_entity": ("governmental_unit", "government_instrumentality"),
}
_ROUTING = {
    "US": "#########",
    "GB": "##-##-##",
    "CA": "#####-###",
    "AU": "###-###",
    "SG": "####-###",
    "JP": "####-###",
}
_BANK_STATUS = {
    "new": 0.3,
    "validated": 0.35,
    "verified": 0.3,
    "verification_failed": 0.03,
    "errored": 0.02,
}
_COUNTRY_WEIGHTS = {c.code: c.provider_weight for c in PROVIDER_COUNTRIES}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def account_rng(entropy: tuple[int, ...], index: int) -> np.random.Generator:
    """The generator of account `index`, fixed by the config's entropy and the index alone."""
    return np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(1, index)))


def _category(
    rng: np.random.Generator, business_type: str, risks: tuple[RiskGroup, ...], tilt: bool
) -> MerchantCategory:
    if business_type in _PUBLIC_MCCS:
        return CATEGORY_BY_MCC[weighted_choice(rng, _PUBLIC_MCCS[business_type])]
    allowed = ("any", "company") if business_type == "company" else ("any",)
    boost = {RiskGroup.HIGH: 2.5, RiskGroup.MEDIUM: 1.5} if tilt else {}
    options = {
        c.mcc: c.weight * boost.get(c.risk, 1.0)
        for c in CATEGORIES
        if c.entity in allowed and c.risk in risks
    }
    return CATEGORY_BY_MCC[weighted_choice(rng, options)]


def _group_bank(world: World, group: int, status: str, holder_country: str) -> BankAccount:
    rng = np.random.default_rng(np.random.SeedSequence(world.salt, spawn_key=(2, group)))
    country = weighted_choice(rng, _COUNTRY_WEIGHTS)
    if rng.random() < 0.5:
        country = holder_country
    return _bank(rng, country, status, hashed_tokens(np.array([group]), world.salt + 2, 16)[0])


def _bank(rng: np.random.Generator, country: str, status: str, fingerprint: str) -> BankAccount:
    info = COUNTRY_BY_CODE[country]
    routing = _ROUTING.get(country)
    return BankAccount(
        id=random_id(rng, "ba_", 24),
        country=country,
        currency=info.currency,
        bank_name=pick(rng, info.banks),
        last4=fill_pattern("####", rng),
        fingerprint=fingerprint,
        routing_number=fill_pattern(routing, rng) if routing else None,
        status=status,
    )


def _schedule(rng: np.random.Generator, country: str, hurried: bool) -> PayoutSchedule:
    odds = {"daily": 0.45, "weekly": 0.25, "monthly": 0.1, "manual": 0.2}
    if hurried:
        odds = {"daily": 0.6, "weekly": 0.1, "monthly": 0.05, "manual": 0.25}
    interval = weighted_choice(rng, odds)
    anchor: str | int | None = None
    if interval == "weekly":
        anchor = pick(rng, _WEEKDAYS)
    elif interval == "monthly":
        anchor = randint(rng, 1, 29)
    return PayoutSchedule(interval, COUNTRY_BY_CODE[country].payout_delay, anchor)


def draw_plan(seed: ProviderSeed, world: World, rng: np.random.Generator) -> ProviderPlan:
    """Everything about one provider, drawn from its own generator."""
    archetype = seed.archetype
    bad = archetype is not Archetype.GOOD
    shows = bad and not seed.clean_onboarding
    intensity = float(rng.beta(2, 2)) if bad else 0.0
    account_id = random_id(rng, "acct_", 16)
    latest = world.latest_signup
    if seed.ring >= 0:
        created = min(latest, seed.ring_opened + int(uniform(rng, 0, 14) * DAY))
    else:
        created = randint(rng, world.start, latest)
    onboarding = draw_onboarding(rng, archetype, seed.clean_onboarding, intensity)
    country = weighted_choice(rng, _COUNTRY_WEIGHTS)
    if bad:
        business_type = weighted_choice(rng, {"individual": 0.5, "company": 0.5})
    else:
        business_type = weighted_choice(
            rng,
            {"individual": 0.45, "company": 0.47, "non_profit": 0.05, "government_entity": 0.03},
        )
    misrepresents = archetype is Archetype.INDUSTRY_MISREPRESENTATION
    every_risk = (RiskGroup.LOW, RiskGroup.MEDIUM, RiskGroup.HIGH)
    declared = _category(
        rng, business_type, (RiskGroup.LOW,) if misrepresents else every_risk, tilt=shows
    )
    behaviour = (
        _category(rng, business_type, (RiskGroup.HIGH,), tilt=False) if misrepresents else declared
    )
    structures = _STRUCTURES.get(business_type)
    structure = pick(rng, structures) if structures else None
    account_type = weighted_choice(rng, {"custom": 0.35, "express": 0.45, "standard": 0.2})
    controls = account_type != "standard" or rng.random() < 0.7
    business = draw_business(
        rng,
        country=country,
        business_type=business_type,
        category=declared,
        created=created,
        new_business=onboarding.new_business,
        thin_profile=onboarding.thin_profile,
    )
    status = weighted_choice(rng, _BANK_STATUS)
    if shows and archetype is Archetype.PAYOUT_ACCOUNT_RISK and rng.random() < 0.3:
        status = weighted_choice(rng, {"verification_failed": 0.6, "errored": 0.4, "new": 1.0})
    if seed.bank_group >= 0:
        bank = _group_bank(world, seed.bank_group, status, country)
    else:
        bank_country = country
        if onboarding.foreign_bank:
            others = {c.code: c.provider_weight for c in PROVIDER_COUNTRIES if c.code != country}
            bank_country = weighted_choice(rng, others)
        bank = _bank(rng, bank_country, status, random_id(rng, "", 16))
    currency = COUNTRY_BY_CODE[country].currency
    traits = draw_traits(
        rng,
        category=behaviour,
        country=country,
        currency=currency,
        business_type=business_type,
        created=created,
        world=world,
    )
    scheme = draw_scheme(
        rng, archetype, intensity=intensity, created=created, ring_opened=seed.ring_opened
    )
    hurried = shows and scheme is not None and scheme.instant_payouts
    return ProviderPlan(
        index=seed.index,
        account_id=account_id,
        archetype=archetype,
        clean_onboarding=seed.clean_onboarding,
        ring=seed.ring,
        created=created,
        country=country,
        currency=currency,
        account_type=account_type,
        platform_controls=bool(controls),
        business_type=business_type,
        structure=structure,
        mcc=declared.mcc,
        behaviour_mcc=behaviour.mcc,
        business=business,
        bank=bank,
        schedule=_schedule(rng, country, hurried),
        onboarding=onboarding,
        traits=traits,
        scheme=scheme,
        outcome=draw_outcome(rng, seed, created=created, scheme=scheme, world=world),
    )
