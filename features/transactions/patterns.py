"""Ticket sizes, round amounts, card-country mix, card/customer concentration, failure codes."""

from __future__ import annotations

import numpy as np

from features.spec import FeatureSpec, FeatureType, Monotone
from features.transactions.bounds import WINDOWS, SnapshotBounds, WindowTotals
from features.transactions.currency import UNITS_PER_USD
from features.transactions.keys import KeyOccurrences
from features.transactions.segments import (
    coefficient_of_variation,
    count_where,
    expand,
    ratio,
    sorted_quantile,
)
from features.transactions.table import CHARGE_OK, FAILURE_GROUPS, TransactionTable

STAT_WINDOWS = ("30d", "all")


def pattern_columns(
    table: TransactionTable, bounds: SnapshotBounds, home_country: np.ndarray
) -> dict[str, np.ndarray]:
    """The per-row integer columns pattern features total over windows."""
    ok = table.event == CHARGE_OK
    with_country = ok & (table.card_country >= 0)
    columns = {
        "round_ok": ok & table.is_round,
        "with_country": with_country,
        "foreign": with_country & (table.card_country != _home_codes(table, bounds, home_country)),
        "country_first": table.card_country_keys.first,
    }
    for name, keys in (("card", table.card_keys), ("customer", table.customer_keys)):
        columns[f"{name}_rows"] = keys.valid
        columns[f"{name}_first"] = keys.first
        # The sum of squared counts grows by 2r + 1 at a key's (r + 1)-th occurrence.
        columns[f"{name}_squares"] = np.where(keys.valid, 2 * keys.rank + 1, 0)
    for code, group in enumerate(FAILURE_GROUPS):
        columns[f"failed_{group}"] = table.failure_group == code
    return columns


def pattern_features(
    table: TransactionTable, bounds: SnapshotBounds, total: WindowTotals, home_country: np.ndarray
) -> dict[str, np.ndarray]:
    """Pattern features of every snapshot; `home_country` is each snapshot's business country
    (ISO code, or None when the account does not say)."""
    out = _tickets(table, bounds)
    has_home = np.array([isinstance(c, str) and len(c) == 2 for c in home_country], dtype=bool)
    for w in STAT_WINDOWS:
        out[f"round_amount_share_{w}"] = ratio(total("round_ok", w), total("ok", w))
        foreign = ratio(total("foreign", w), total("with_country", w))
        out[f"foreign_card_share_{w}"] = np.where(has_home, foreign, np.nan)
    out["card_country_count_all"] = total("country_first", "all").astype(np.float64)
    out |= _concentration(table.card_keys, table, bounds, total, "card")
    out |= _concentration(table.customer_keys, table, bounds, total, "customer")
    for group in FAILURE_GROUPS:
        out[f"failed_share_{group}_codes_30d"] = ratio(
            total(f"failed_{group}", "30d"), total("failed", "30d")
        )
    return out


def _tickets(table: TransactionTable, bounds: SnapshotBounds) -> dict[str, np.ndarray]:
    """Median, p90 and CV of succeeded charge amounts (USD), over each snapshot's windows."""
    rows = np.flatnonzero(table.event == CHARGE_OK)
    by_value = rows[np.lexsort((table.units[rows], table.account[rows]))]
    counts = np.bincount(table.account[by_value], minlength=len(table.accounts))
    block = np.concatenate(([0], np.cumsum(counts), [len(by_value)]))  # padded for no accounts
    known = bounds.code >= 0
    safe = np.where(known, bounds.code, 0)
    lo, hi = np.where(known, block[safe], 0), np.where(known, block[safe + 1], 0)
    position, segment = expand(lo, hi)
    picked = by_value[position]  # each snapshot's charges in ascending amount order
    created, as_of, n = table.created[picked], bounds.as_of[segment], len(bounds)
    out: dict[str, np.ndarray] = {}
    for w in STAT_WINDOWS:
        keep = created < as_of
        if w != "all":
            keep &= created >= as_of - WINDOWS[w]
        values = table.units[picked[keep]] / UNITS_PER_USD
        seg = segment[keep]
        out[f"ticket_median_usd_{w}"] = sorted_quantile(values, seg, n, 0.5)
        out[f"ticket_p90_usd_{w}"] = sorted_quantile(values, seg, n, 0.9)
        out[f"ticket_cv_{w}"] = coefficient_of_variation(values, seg, n)
    return out


def _home_codes(
    table: TransactionTable, bounds: SnapshotBounds, home_country: np.ndarray
) -> np.ndarray:
    """Each row's business country as a card-country code (-2 unknown: no row matches it)."""
    country_codes = {name: code for code, name in enumerate(table.card_countries)}
    home_code = np.full(len(table.accounts) + 1, -2, dtype=np.int64)
    for code, country in zip(bounds.code, home_country, strict=True):
        if code >= 0 and isinstance(country, str) and len(country) == 2:
            home_code[code] = country_codes.get(country.upper(), -3)
    return np.asarray(home_code[table.account], np.int64)


def _concentration(
    keys: KeyOccurrences,
    table: TransactionTable,
    bounds: SnapshotBounds,
    total: WindowTotals,
    name: str,
) -> dict[str, np.ndarray]:
    """Distinct keys (30 days, all history), top-key share and HHI over all history."""
    rows_all = total(f"{name}_rows", "all")
    # Distinct in a window = rows whose previous occurrence lies before the window.
    rows, segment = expand(bounds.lo["30d"], bounds.hi)
    fresh = keys.valid[rows] & (keys.prev[rows] < bounds.lo["30d"][segment])
    distinct_30d = count_where(fresh, segment, len(bounds))
    # Largest count so far: a running max made to restart per account by an account offset.
    scale = len(table) + 1
    so_far = np.where(keys.valid, keys.rank + 1, 0) + table.account.astype(np.int64) * scale
    running_max = np.append(np.maximum.accumulate(so_far) if len(table) else so_far, 0)
    seen = bounds.hi > bounds.start
    top = np.where(seen, running_max[bounds.hi - 1] - bounds.code * scale, 0)
    return {
        f"distinct_{name}s_30d": distinct_30d.astype(np.float64),
        f"distinct_{name}s_all": total(f"{name}_first", "all").astype(np.float64),
        f"top_{name}_share_all": ratio(top, rows_all),
        f"{name}_hhi_all": ratio(total(f"{name}_squares", "all"), rows_all.astype(np.float64) ** 2),
    }


def _spec(name: str, type_: FeatureType, monotone: Monotone, description: str) -> FeatureSpec:
    return FeatureSpec(name, type_, "transactions", monotone, description)


def _over(window: str) -> str:
    return "over all history" if window == "all" else f"over the last {window}"


PATTERN_FEATURES: tuple[FeatureSpec, ...] = (
    *(
        spec
        for w in STAT_WINDOWS
        for spec in (
            _spec(f"ticket_median_usd_{w}", "float", 0, f"Median charge (USD) {_over(w)}."),
            _spec(f"ticket_p90_usd_{w}", "float", 0, f"90th percentile charge (USD) {_over(w)}."),
            _spec(
                f"ticket_cv_{w}",
                "float",
                0,
                f"Coefficient of variation of charge amounts {_over(w)}; NaN below two charges.",
            ),
        )
    ),
    *(
        _spec(
            f"round_amount_share_{w}",
            "float",
            1,
            f"Share of charges that are whole multiples of 10 major units {_over(w)}.",
        )
        for w in STAT_WINDOWS
    ),
    *(
        _spec(
            f"foreign_card_share_{w}",
            "float",
            1,
            f"Share of card charges with a card issued outside the business country {_over(w)}.",
        )
        for w in STAT_WINDOWS
    ),
    _spec("card_country_count_all", "int", 0, "Distinct card issuing countries on charges."),
    *(
        spec
        for key in ("card", "customer")
        for spec in (
            _spec(f"distinct_{key}s_30d", "int", 0, f"Distinct {key}s charged in the last 30d."),
            _spec(f"distinct_{key}s_all", "int", 0, f"Distinct {key}s charged before as_of."),
            _spec(
                f"top_{key}_share_all",
                "float",
                0,
                f"Share of charges (with a {key}) made by the most frequent {key}.",
            ),
            _spec(
                f"{key}_hhi_all",
                "float",
                0,
                f"Herfindahl index of charges over {key}s (1 = a single {key}).",
            ),
        )
    ),
    *(
        _spec(
            f"failed_share_{group}_codes_30d",
            "float",
            1 if group in ("fraud", "card_data") else 0,
            f"Share of failed charges in the last 30d whose failure code is in the {group} "
            "group (fraud: stolen/lost/fraudulent; card_data: wrong number/CVC/expiry).",
        )
        for group in FAILURE_GROUPS
    ),
)
