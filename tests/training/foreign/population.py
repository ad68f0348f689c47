"""Who the providers are: country, trade, legal form, risk mechanism, closure time, ring and the
Stripe Account object the platform exported for each."""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

import numpy as np

DAY = 86_400

# (country, currency, share): heavy in markets the synthetic generator does not model.
COUNTRIES: tuple[tuple[str, str, float], ...] = (
    ("NL", "eur", 0.09),
    ("BE", "eur", 0.05),
    ("AT", "eur", 0.05),
    ("PT", "eur", 0.06),
    ("DK", "dkk", 0.05),
    ("NO", "nok", 0.05),
    ("CZ", "czk", 0.06),
    ("RO", "ron", 0.06),
    ("ZA", "zar", 0.07),
    ("TH", "thb", 0.06),
    ("MY", "myr", 0.06),
    ("PH", "php", 0.05),
    ("CO", "cop", 0.06),
    ("CL", "clp", 0.05),
    ("US", "usd", 0.10),
    ("GB", "gbp", 0.08),
)
USD_PER_UNIT = {
    "eur": 1.1, "dkk": 0.147, "nok": 0.094, "czk": 0.045, "ron": 0.22, "zar": 0.055,
    "thb": 0.029, "myr": 0.22, "php": 0.018, "cop": 0.00024, "clp": 0.00105, "usd": 1.0,
    "gbp": 1.3,
}  # fmt: skip
ZERO_DECIMAL = frozenset({"clp"})

# (mcc, median ticket in USD, monthly returns share, share): a home-services and resale
# marketplace, mostly in categories the generator does not use.
TRADES: tuple[tuple[str, float, float, float], ...] = (
    ("7349", 90.0, 0.01, 0.14),  # cleaning and maintenance
    ("1520", 450.0, 0.01, 0.07),  # general contractors
    ("7399", 160.0, 0.02, 0.10),  # business services
    ("5661", 70.0, 0.12, 0.08),  # shoe stores (returns-heavy)
    ("5941", 85.0, 0.06, 0.07),  # sporting goods
    ("5499", 25.0, 0.01, 0.10),  # speciality food
    ("0742", 120.0, 0.01, 0.05),  # veterinary services
    ("7941", 40.0, 0.02, 0.06),  # sports clubs and events (seasonal)
    ("8050", 300.0, 0.01, 0.04),  # care services
    ("5045", 380.0, 0.05, 0.06),  # computers and electronics resale
    ("5094", 650.0, 0.03, 0.04),  # jewellery and precious metals
    ("4722", 520.0, 0.04, 0.05),  # travel agencies
    ("5816", 15.0, 0.02, 0.05),  # digital goods, games
    ("7299", 60.0, 0.02, 0.06),  # personal services
    ("6051", 200.0, 0.01, 0.03),  # quasi-cash, crypto
)

# Risk mechanisms and their share of all providers (the rest are honest).
MECHANISMS: dict[str, float] = {
    "bust_out": 0.015,
    "dispute_spike": 0.015,
    "bank_ring": 0.004,  # per ring of 3 to 6 members: about 2% of providers
    "paperwork": 0.010,
    "cash_out": 0.008,
}
HONEST_CLOSURE = 0.004  # honest providers closed anyway (negative balance, sanctions hits)
FREE_MAIL = ("gmail.com", "outlook.com", "yahoo.com", "proton.me")
SYLLABLES = ("mar", "ven", "tor", "lis", "kai", "dor", "bel", "sun", "rio", "nov", "hal", "ost")
SUFFIX = {"NL": "B.V.", "BE": "BV", "AT": "GmbH", "DK": "ApS", "NO": "AS", "CZ": "s.r.o.",
          "RO": "SRL", "PT": "Lda", "ZA": "(Pty) Ltd", "TH": "Co., Ltd.", "MY": "Sdn. Bhd.",
          "PH": "Inc.", "CO": "S.A.S.", "CL": "SpA", "US": "LLC", "GB": "Ltd"}  # fmt: skip
STREETS = ("Harbour Road", "Mill Lane", "Station Square", "Orchard Way", "Canal Street")


@dataclass
class Provider:
    """One connected account and the truth behind it."""

    id: str
    country: str
    currency: str
    mcc: str
    ticket_usd: float
    returns: float
    business_type: str
    created: int
    mechanism: str  # "honest" or a key of MECHANISMS
    closed_at: int | None  # when the platform closed it for risk (None: never, in the window)
    bank: str  # bank account fingerprint
    ring: int | None
    legal_name: str
    registration: str
    street: str
    city: str
    postcode: str
    risky_profile: bool  # onboarding that already looks risky
    documents: bool


def _token(rng: np.random.Generator, n: int) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(alphabet[i] for i in rng.integers(0, len(alphabet), n))


def _name(rng: np.random.Generator) -> str:
    parts = rng.choice(SYLLABLES, size=int(rng.integers(2, 4)))
    return "".join(parts).capitalize()


def draw_providers(
    rng: np.random.Generator, count: int, start: int, end: int, documents: bool
) -> list[Provider]:
    """`count` providers signing up over the window, with mechanisms, rings and closures."""
    country_p = np.array([c[2] for c in COUNTRIES])
    trade_p = np.array([t[3] for t in TRADES])
    kinds = ["honest", *MECHANISMS]
    kind_p = np.array([1 - sum(MECHANISMS.values()), *MECHANISMS.values()])
    out: list[Provider] = []
    ring_id = 0
    while len(out) < count:
        mechanism = str(rng.choice(kinds, p=kind_p))
        created = int(rng.integers(start, end - 40 * DAY))
        members = int(rng.integers(3, 7)) if mechanism == "bank_ring" else 1
        bank = _token(rng, 16)
        ring = ring_id if mechanism == "bank_ring" else None
        ring_id += mechanism == "bank_ring"
        first_closure = created + int(rng.integers(40, 130)) * DAY
        # A ring works from one country and one trade; its members differ in everything else.
        country, currency, _ = COUNTRIES[rng.choice(len(COUNTRIES), p=country_p)]
        mcc, ticket, returns, _ = TRADES[rng.choice(len(TRADES), p=trade_p)]
        for member in range(min(members, count - len(out))):
            born = created + int(rng.integers(0, 21)) * DAY * (member > 0)
            business = str(rng.choice(["individual", "company", "non_profit"], p=[0.55, 0.4, 0.05]))
            legal = _name(rng) + " " + _name(rng)
            if business != "individual":
                legal += " " + SUFFIX[country]
            out.append(
                Provider(
                    id="acct_1" + _token(rng, 15),
                    country=country,
                    currency=currency,
                    mcc=mcc,
                    ticket_usd=ticket,
                    returns=returns,
                    business_type=business,
                    created=born,
                    mechanism=mechanism,
                    closed_at=_closure(rng, mechanism, born, first_closure, member),
                    bank=bank if ring is not None else _token(rng, 16),
                    ring=ring,
                    legal_name=legal,
                    registration=f"{rng.integers(10_000_000, 99_999_999)}",
                    street=f"{rng.integers(1, 200)} {rng.choice(STREETS)}",
                    city=_name(rng) + "ville" * (rng.random() < 0.2),
                    postcode=f"{rng.integers(1000, 99999)}",
                    risky_profile=rng.random() < (0.55 if mechanism != "honest" else 0.12),
                    documents=documents
                    and rng.random() < (0.8 if business != "individual" else 0.45),
                )
            )
    return out


def _closure(
    rng: np.random.Generator, mechanism: str, created: int, ring_first: int, member: int
) -> int | None:
    """When the platform closes the account; mechanisms set their own pace (see activity.py
    for the behaviour that precedes it)."""
    if mechanism == "honest":
        if rng.random() < HONEST_CLOSURE:
            return created + int(rng.integers(20, 250)) * DAY
        return None
    if mechanism == "bank_ring":
        if member > 0 and rng.random() < 0.2:
            return None  # a member the platform never tied to the ring
        return ring_first + int(rng.integers(0, 30)) * DAY * (member > 0)
    if mechanism == "paperwork":
        return created + int(rng.integers(15, 100)) * DAY
    if mechanism == "cash_out":
        return created + int(rng.integers(8, 40)) * DAY
    return None  # bust_out and dispute_spike close after their burst (activity.py)


def account_object(p: Provider, rng: np.random.Generator) -> dict[str, Any]:
    """The Stripe Account object as the platform captured it at onboarding review: nothing in
    it is caused by the outcome."""
    risky = p.risky_profile
    domain = (
        str(rng.choice(FREE_MAIL))
        if risky or p.business_type == "individual"
        else p.legal_name.split()[0].lower() + ".com"
    )
    website = (
        None
        if risky and rng.random() < 0.7
        else f"https://{p.legal_name.split()[0].lower()}.example"
    )
    due: list[str] = []
    past_due: list[str] = []
    errors: list[dict[str, str]] = []
    if rng.random() < (0.45 if risky else 0.15):
        due.append(
            "individual.verification.document"
            if p.business_type == "individual"
            else "company.tax_id"
        )
    if rng.random() < (0.2 if risky else 0.04):
        past_due.append("individual.verification.additional_document")
    if p.mechanism == "paperwork" and rng.random() < 0.5:
        code = str(
            rng.choice(["verification_document_name_mismatch", "verification_document_manipulated"])
        )
        errors.append(
            {
                "code": code,
                "reason": "document review",
                "requirement": "company.verification.document",
            }
        )
    # Honest freelancers often keep a bank account at home; risky profiles even more so.
    abroad = rng.random() < (0.25 if risky else 0.07)
    bank_country = str(rng.choice([c[0] for c in COUNTRIES])) if abroad else p.country
    account: dict[str, Any] = {
        "id": p.id,
        "object": "account",
        "type": str(rng.choice(["custom", "express", "standard"], p=[0.5, 0.35, 0.15])),
        "country": p.country,
        "default_currency": p.currency,
        "created": p.created,
        "email": f"{_token(rng, 6).lower()}@{domain}",
        "business_type": p.business_type,
        "business_profile": {
            "mcc": p.mcc,
            "name": p.legal_name,
            "url": website,
            "support_email": None if risky else f"help@{domain}",
            "support_phone": None if rng.random() < 0.4 else f"+{rng.integers(10**9, 10**10)}",
            "product_description": None if risky and rng.random() < 0.5 else "services and goods",
        },
        "capabilities": {"card_payments": "active", "transfers": "active"},
        "charges_enabled": True,
        "payouts_enabled": not past_due,
        "details_submitted": True,
        "controller": {
            "type": "application",
            "is_controller": True,
            "losses": {"payments": "application"},
            "requirement_collection": "application",
        },
        "external_accounts": {
            "object": "list",
            "data": [
                {
                    "object": "bank_account",
                    "country": bank_country,
                    "currency": p.currency,
                    "fingerprint": p.bank,
                    "last4": f"{rng.integers(0, 10_000):04d}",
                    "status": "new" if rng.random() < 0.3 else "validated",
                }
            ],
            "has_more": False,
        },
        "requirements": {
            "currently_due": due + past_due,
            "eventually_due": due + past_due,
            "past_due": past_due,
            "pending_verification": [],
            "errors": errors,
            "disabled_reason": "requirements.past_due" if past_due else None,
            "current_deadline": p.created + 14 * DAY if due else None,
        },
        "metadata": {"marketplace_tier": str(rng.choice(["bronze", "silver", "gold"]))},
    }
    address = {"line1": p.street, "city": p.city, "postal_code": p.postcode, "country": p.country}
    if p.business_type == "individual":
        first, last = p.legal_name.split()[:2]
        account["individual"] = {
            "first_name": first,
            "last_name": last,
            "address": address,
            "political_exposure": "none",
            "verification": {"status": "pending" if due else "verified"},
        }
    else:
        account["company"] = {
            "name": p.legal_name,
            "address": address,
            "registration_number": p.registration,
            "tax_id_provided": rng.random() > (0.4 if risky else 0.05),
            "owners_provided": True,
            "directors_provided": rng.random() > 0.2,
        }
    return account
