"""Constant tables about the countries and currencies the synthetic marketplace spans."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    """How providers and cardholders of one country look to a Connect platform."""

    code: str  # ISO 3166-1 alpha-2
    currency: str  # lower-case ISO 4217
    provider_weight: float  # share of the platform's providers based here
    card_weight: float  # share of the platform's cardholders whose cards are issued here
    utc_offset: int  # hours, so charges cluster in local business hours
    payout_delay: int  # Stripe's standard payout delay in days
    banks: tuple[str, ...] = ()
    phone: str = ""  # E.164 pattern
    capabilities: tuple[str, ...] = ()  # payment methods besides cards commonly enabled


_EU_METHODS = ("sepa_debit_payments", "klarna_payments", "link_payments")

# fmt: off
COUNTRIES: tuple[Country, ...] = (
    Country("US", "usd", 0.45, 0.42, -6, 2,
            ("WELLS FARGO BANK", "JPMORGAN CHASE", "BANK OF AMERICA", "CITIBANK", "US BANK",
             "PNC BANK", "CAPITAL ONE", "TD BANK"),
            "+1##########",
            ("us_bank_account_ach_payments", "link_payments", "cashapp_payments",
             "affirm_payments", "klarna_payments", "tax_reporting_us_1099_k")),
    Country("GB", "gbp", 0.10, 0.10, 0, 7,
            ("BARCLAYS BANK PLC", "HSBC UK BANK PLC", "LLOYDS BANK PLC", "NATWEST", "MONZO BANK",
             "STARLING BANK"),
            "+447#########",
            ("bacs_debit_payments", "link_payments", "klarna_payments",
             "afterpay_clearpay_payments")),
    Country("CA", "cad", 0.07, 0.06, -5, 2,
            ("ROYAL BANK OF CANADA", "TD CANADA TRUST", "SCOTIABANK", "BMO", "CIBC"),
            "+1##########", ("acss_debit_payments", "link_payments", "afterpay_clearpay_payments")),
    Country("AU", "aud", 0.06, 0.05, 10, 2,
            ("COMMONWEALTH BANK", "WESTPAC", "ANZ", "NAB", "MACQUARIE BANK"),
            "+614########",
            ("au_becs_debit_payments", "afterpay_clearpay_payments", "link_payments")),
    Country("DE", "eur", 0.06, 0.06, 1, 7,
            ("DEUTSCHE BANK", "COMMERZBANK", "SPARKASSE", "N26 BANK", "ING-DIBA"),
            "+4915#########", (*_EU_METHODS, "giropay_payments")),
    Country("FR", "eur", 0.05, 0.05, 1, 7,
            ("BNP PARIBAS", "SOCIETE GENERALE", "CREDIT AGRICOLE", "LA BANQUE POSTALE", "QONTO"),
            "+336########", (*_EU_METHODS, "cartes_bancaires_payments")),
    Country("NL", "eur", 0.03, 0.03, 1, 7, ("ING BANK", "RABOBANK", "ABN AMRO", "BUNQ"),
            "+316########", (*_EU_METHODS, "ideal_payments")),
    Country("IE", "eur", 0.02, 0.02, 0, 7, ("AIB", "BANK OF IRELAND", "PERMANENT TSB"),
            "+3538#########", _EU_METHODS),
    Country("ES", "eur", 0.04, 0.03, 1, 7, ("BANCO SANTANDER", "BBVA", "CAIXABANK", "BANKINTER"),
            "+346########", (*_EU_METHODS, "bizum_payments")),
    Country("IT", "eur", 0.04, 0.03, 1, 7, ("INTESA SANPAOLO", "UNICREDIT", "BANCO BPM", "FINECO"),
            "+393#########", _EU_METHODS),
    Country("SG", "sgd", 0.03, 0.02, 8, 7, ("DBS BANK", "OCBC BANK", "UOB"),
            "+65########", ("paynow_payments", "grabpay_payments", "link_payments")),
    Country("JP", "jpy", 0.05, 0.04, 9, 4,
            ("MUFG BANK", "SUMITOMO MITSUI BANKING", "MIZUHO BANK", "RAKUTEN BANK"),
            "+8190########", ("jcb_payments", "konbini_payments")),
    # Countries whose cardholders buy on the platform but whose businesses are not onboarded.
    Country("MX", "mxn", 0.0, 0.015, -6, 2),
    Country("BR", "brl", 0.0, 0.015, -3, 2),
    Country("IN", "inr", 0.0, 0.01, 5, 2),
    Country("CN", "cny", 0.0, 0.01, 8, 2),
    Country("HK", "hkd", 0.0, 0.01, 8, 2),
    Country("AE", "aed", 0.0, 0.005, 4, 2),
    Country("CH", "chf", 0.0, 0.01, 1, 2),
    Country("SE", "sek", 0.0, 0.01, 1, 2),
    Country("NZ", "nzd", 0.0, 0.005, 12, 2),
    Country("PL", "pln", 0.0, 0.005, 1, 2),
)
# fmt: on

COUNTRY_BY_CODE: dict[str, Country] = {c.code: c for c in COUNTRIES}
COUNTRY_CODES: tuple[str, ...] = tuple(c.code for c in COUNTRIES)
PROVIDER_COUNTRIES: tuple[Country, ...] = tuple(c for c in COUNTRIES if c.provider_weight > 0)

# Units of each currency per US dollar (rounded mid-2025 rates; only relative size matters).
USD_RATE: dict[str, float] = {
    "usd": 1.0,
    "gbp": 0.79,
    "eur": 0.92,
    "cad": 1.37,
    "aud": 1.52,
    "sgd": 1.34,
    "jpy": 150.0,
    "mxn": 18.0,
    "brl": 5.3,
    "inr": 83.0,
    "cny": 7.2,
    "hkd": 7.8,
    "aed": 3.67,
    "chf": 0.88,
    "sek": 10.5,
    "nzd": 1.65,
    "pln": 4.0,
}

# Stripe's zero-decimal currencies among ours: amounts are whole units, not cents.
ZERO_DECIMAL: frozenset[str] = frozenset({"jpy"})


def minor_per_usd(currency: str) -> float:
    """Minor units of `currency` worth one US dollar (yen for JPY, cents for USD)."""
    scale = 1.0 if currency in ZERO_DECIMAL else 100.0
    return USD_RATE[currency] * scale
