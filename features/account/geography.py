"""Country -> region and ordinal country-risk group (approximate constant tables)."""

from __future__ import annotations

REGIONS = ("north_america", "europe", "asia_pacific", "latin_america")

_NORTH_AMERICA = frozenset({"US", "CA"})
_EUROPE = frozenset(
    {
        "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GI", "GR",
        "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MT", "NL", "NO", "PL", "PT",
        "RO", "SE", "SI", "SK", "AL", "BA", "MD", "ME", "MK", "RS", "UA", "TR",
    }
)  # fmt: skip
_ASIA_PACIFIC = frozenset(
    {
        "AU", "NZ", "JP", "SG", "HK", "MY", "TH", "IN", "ID", "PH", "VN", "KR", "TW", "CN", "MO",
        "BD", "PK", "LK", "NP", "KH", "LA", "MM", "MN", "FJ", "PG",
    }
)  # fmt: skip
_LATIN_AMERICA = frozenset(
    {
        "MX", "BR", "AR", "CL", "CO", "PE", "UY", "PY", "BO", "EC", "VE", "CR", "PA", "GT", "HN",
        "SV", "NI", "DO", "JM", "TT", "BS", "BB", "HT",
    }
)  # fmt: skip

# 0: long-established Stripe countries with mature AML regimes; 1: everything else;
# 2: on the FATF "increased monitoring" list; 3: on the FATF "call for action" list.
# The FATF lists change three times a year: these reflect 2025 and must be reviewed.
_LOW_RISK = _NORTH_AMERICA | (_EUROPE - {"AL", "BA", "MD", "ME", "MK", "RS", "UA", "TR"}) | {
    "AU", "NZ", "JP", "SG", "HK", "KR",
}  # fmt: skip
_FATF_MONITORING = frozenset(
    {
        "DZ", "AO", "BO", "BG", "BF", "CM", "CI", "HR", "CD", "HT", "KE", "LA", "LB", "MC", "MZ",
        "NA", "NP", "NG", "ZA", "SS", "SY", "TZ", "VE", "VN", "VG", "YE",
    }
)  # fmt: skip
_FATF_CALL_FOR_ACTION = frozenset({"KP", "IR", "MM"})


def region_flags(country: object) -> dict[str, float]:
    """`country_region_<region>` 1.0/0.0 for each of `REGIONS` (all 0.0 for other regions, all
    NaN when the country is unknown)."""
    members = (_NORTH_AMERICA, _EUROPE, _ASIA_PACIFIC, _LATIN_AMERICA)
    known = isinstance(country, str) and len(country) == 2
    code = country.upper() if isinstance(country, str) else ""
    return {
        f"country_region_{region}": (float(code in group) if known else float("nan"))
        for region, group in zip(REGIONS, members, strict=True)
    }


def country_risk_group(country: object) -> float:
    """Ordinal country-risk group 0..3 (see the table above); NaN when the country is unknown."""
    if not isinstance(country, str) or len(country) != 2:
        return float("nan")
    code = country.upper()
    if code in _FATF_CALL_FOR_ACTION:
        return 3.0
    if code in _FATF_MONITORING:
        return 2.0
    return 0.0 if code in _LOW_RISK else 1.0
