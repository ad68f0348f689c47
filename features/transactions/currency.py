"""Currency minor units -> an approximate USD scale, so amounts compare across currencies.

The FX rates are fixed, approximate USD values of one major unit (mid-2025 levels). They only
need to put amounts on one scale for risk features (a 10% FX move does not change a risk
pattern); currencies not listed count as two-decimal at 1 USD, which keeps them comparable with
each other if not with USD.
"""

from __future__ import annotations

import numpy as np

# Stripe's zero-decimal and three-decimal currencies (docs.stripe.com/currencies).
ZERO_DECIMAL = frozenset(
    {
        "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd",
        "vuv", "xaf", "xof", "xpf",
    }
)  # fmt: skip
THREE_DECIMAL = frozenset({"bhd", "jod", "kwd", "omr", "tnd"})

USD_PER_UNIT: dict[str, float] = {
    "usd": 1.0, "eur": 1.1, "gbp": 1.3, "cad": 0.73, "aud": 0.66, "nzd": 0.6, "chf": 1.15,
    "jpy": 0.0068, "sek": 0.097, "nok": 0.094, "dkk": 0.147, "pln": 0.26, "czk": 0.045,
    "huf": 0.0028, "ron": 0.22, "bgn": 0.56, "isk": 0.0078, "try": 0.026, "sgd": 0.76,
    "hkd": 0.128, "cny": 0.14, "krw": 0.00073, "inr": 0.012, "idr": 0.000062, "myr": 0.22,
    "thb": 0.029, "php": 0.018, "vnd": 0.000039, "twd": 0.032, "mxn": 0.052, "brl": 0.18,
    "ars": 0.00085, "clp": 0.00105, "cop": 0.00024, "pen": 0.27, "uyu": 0.025, "zar": 0.055,
    "ngn": 0.00065, "kes": 0.0077, "egp": 0.02, "mad": 0.1, "aed": 0.272, "sar": 0.267,
    "ils": 0.27, "qar": 0.275, "kwd": 3.26, "bhd": 2.65, "omr": 2.6, "jod": 1.41, "tnd": 0.33,
    "xof": 0.00168, "xaf": 0.00168, "xpf": 0.0092, "ugx": 0.00027, "rwf": 0.0007,
    "pyg": 0.000125, "bif": 0.00034, "djf": 0.0056, "gnf": 0.000115, "kmf": 0.0022,
    "mga": 0.00022, "vuv": 0.0083,
}  # fmt: skip

# Fixed-point scale of normalised amounts: integer sums stay exact, so a window's total does not
# depend on where its rows sit in a larger array (single-account and batch paths agree bit for bit).
UNITS_PER_USD = 10_000


def minor_per_major(currency: str) -> int:
    """How many minor units make one major unit of `currency` (1, 100 or 1000)."""
    if currency in ZERO_DECIMAL:
        return 1
    return 1000 if currency in THREE_DECIMAL else 100


def normalise_amounts(
    amount: np.ndarray, currency_codes: np.ndarray, currencies: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Minor-unit amounts -> (int64 amounts in 1/10,000 USD, is-round flags).

    `currency_codes` index into `currencies` (lower-case ISO codes; -1 = unknown). An amount is
    round when it is a whole multiple of 10 major units (1,000 for zero-decimal currencies,
    whose major unit is small), the shape of cash-out and test amounts.
    """
    names = [str(name).lower() for name in currencies]
    minor = np.array([minor_per_major(name) for name in names] + [100], dtype=np.int64)
    rate = np.array([USD_PER_UNIT.get(name, 1.0) for name in names] + [1.0])
    round_unit = np.where(minor == 1, 1000, minor * 10)
    codes = np.where(currency_codes < 0, len(names), currency_codes)
    units = np.rint(amount * (rate[codes] * UNITS_PER_USD / minor[codes])).astype(np.int64)
    return units, (amount % round_unit[codes]) == 0
