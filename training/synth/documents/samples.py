"""Plausible sample DocumentSpecs, for tests that need a rendered onboarding file quickly."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from training.synth.plan import Address, DocumentKind, DocumentSpec, Identity, ProducerClass

# country: (legal suffix, currency, registration pattern, tax-id pattern, bank, street)
_COUNTRIES = {
    "US": ("LLC", "usd", "9999999", "99-9999999", "First Harbor Bank", "Market Street"),
    "GB": ("Ltd", "gbp", "99999999", "9999999999", "Northern Mutual Bank", "Station Road"),
    "DE": ("GmbH", "eur", "HRB 999999", "99/999/99999", "Rheinische Handelsbank", "Hauptstraße"),
    "NL": ("B.V.", "eur", "99999999", "NL999999999B01", "Polderbank", "Kerkstraat"),
    "FR": ("SARL", "eur", "999 999 999", "FR99999999999", "Banque du Rivage", "Rue de la Paix"),
    "AU": ("Pty Ltd", "aud", "999 999 999", "99 999 999 999", "Southern Cross Bank", "King Street"),
    "CA": ("Inc.", "cad", "9999999-9", "999999999RT0001", "Maple Trust Bank", "Queen Street West"),
    "IE": ("Limited", "eur", "999999", "IE9999999A", "Liffey Bank", "Harbour Road"),
}
# country: ((city, postal code, state), ...)
_PLACES = {
    "US": (("Wilmington", "19801", "DE"), ("Austin", "78701", "TX"), ("Portland", "97205", "OR")),
    "GB": (("Leeds", "LS1 4AP", None), ("Bristol", "BS1 5TR", None),
           ("Manchester", "M2 3WQ", None)),
    "DE": (("Berlin", "10115", None), ("Hamburg", "20095", None), ("Köln", "50667", None)),
    "NL": (("Utrecht", "3511 AB", None), ("Rotterdam", "3011 AD", None),
           ("Groningen", "9711 LM", None)),
    "FR": (("Lyon", "69002", None), ("Nantes", "44000", None), ("Bordeaux", "33000", None)),
    "AU": (("Sydney", "2000", "NSW"), ("Melbourne", "3000", "VIC"), ("Brisbane", "4000", "QLD")),
    "CA": (("Toronto", "M5H 2N2", "ON"), ("Vancouver", "V6B 1A1", "BC"),
           ("Calgary", "T2P 1J9", "AB")),
    "IE": (("Dublin", "D02 X285", None), ("Cork", "T12 R2NC", None), ("Galway", "H91 E2K3", None)),
}  # fmt: skip
_STEMS = (
    "Brightline",
    "Cobalt Ridge",
    "Fernwood",
    "Juniper & Vale",
    "Lumen Works",
    "Orchard Peak",
    "Quayside",
    "Redwing Studio",
    "Tallis Forge",
    "Westmere Goods",
)
_PEOPLE = (
    "Amelia Hart",
    "Jonas Becker",
    "Sophie Martin",
    "Daan de Vries",
    "Liam O'Brien",
    "Chloé Dubois",
    "Noah Wilson",
    "Mia Schneider",
)
_BASE = 1_735_689_600  # 2025-01-01T00:00:00Z
_DAY = 86_400


def _fill(pattern: str, rng: random.Random) -> str:
    return "".join(
        str(rng.randrange(10))
        if c == "9"
        else rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
        if c == "A"
        else c
        for c in pattern
    )


def sample_identity(seed: int = 0, country: str | None = None) -> Identity:
    """A fictional business in one of US, GB, DE, NL, FR, AU, CA, IE (seeded)."""
    rng = random.Random(f"sample-identity|{seed}")
    country = country or rng.choice(sorted(_COUNTRIES))
    suffix, currency, reg, tax, bank, street = _COUNTRIES.get(country, _COUNTRIES["US"])
    city, postal, state = rng.choice(_PLACES.get(country, _PLACES["US"]))
    address = Address(f"{rng.randint(1, 240)} {street}", city, postal, country, state)
    return Identity(
        legal_name=f"{rng.choice(_STEMS)} {suffix}",
        registration_number=_fill(reg, rng),
        tax_id=_fill(tax, rng),
        address=address,
        incorporated_on=_BASE - rng.randint(200, 5000) * _DAY,
        representative=rng.choice(_PEOPLE),
        currency=currency,
        bank_name=bank,
        bank_last4=_fill("9999", rng),
    )


def sample_spec(kind: DocumentKind, seed: int = 0, **overrides: Any) -> DocumentSpec:
    """A plausible honest DocumentSpec of `kind`; keyword arguments replace any spec field.

    Pass `country="DE"` to pick the shown identity's country (ignored when `shown` is given).
    """
    rng = random.Random(f"sample-spec|{seed}|{kind}")
    country = overrides.pop("country", None)
    identity = sample_identity(seed, country)
    issued = _BASE + rng.randint(0, 300) * _DAY + rng.randint(8 * 3600, 17 * 3600)
    created = issued + rng.randint(0, 3600)
    producer = {
        DocumentKind.IDENTITY_SCAN: ProducerClass.SCANNER,
        DocumentKind.PROOF_OF_ADDRESS: ProducerClass.OFFICE,
    }.get(kind, ProducerClass.GENERATOR)
    totals = None
    if kind is DocumentKind.BANK_STATEMENT:
        opening, credits = rng.randint(100_000, 4_000_000), rng.randint(200_000, 6_000_000)
        totals = (opening, opening + credits - rng.randint(0, opening + credits), credits)
    spec = DocumentSpec(
        kind=kind,
        filename=f"{kind.value}_{seed}.pdf",
        shown=identity,
        issued_on=issued,
        created_at=created,
        modified_at=created,
        producer=producer,
        layout=seed,
        statement_totals=totals,
        seed=seed,
    )
    return replace(spec, **overrides)
