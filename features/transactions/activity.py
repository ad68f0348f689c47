"""Volume, velocity, growth, refund/dispute/failure rates, payouts and recency per snapshot."""

from __future__ import annotations

import numpy as np

from features.spec import FeatureSpec, FeatureType, Monotone
from features.transactions.bounds import DAY, SnapshotBounds, WindowTotals
from features.transactions.currency import UNITS_PER_USD
from features.transactions.segments import ratio
from features.transactions.table import (
    CHARGE_FAILED,
    CHARGE_OK,
    DISPUTE,
    PAYOUT_FAILED,
    PAYOUT_OK,
    REFUND_OK,
    TransactionTable,
)

VOLUME_WINDOWS = ("1d", "7d", "30d", "all")
RATE_WINDOWS = ("30d", "all")


def activity_columns(table: TransactionTable) -> dict[str, np.ndarray]:
    """The per-row integer columns activity features total over windows."""
    event = table.event
    counts = {
        "ok": CHARGE_OK,
        "failed": CHARGE_FAILED,
        "refunds": REFUND_OK,
        "disputes": DISPUTE,
        "payouts": PAYOUT_OK,
        "payouts_failed": PAYOUT_FAILED,
    }
    amounts = {"ok_usd": CHARGE_OK, "refund_usd": REFUND_OK, "dispute_usd": DISPUTE}
    columns = {name: event == kind for name, kind in counts.items()}
    columns |= {name: np.where(event == kind, table.units, 0) for name, kind in amounts.items()}
    columns["payout_usd"] = np.where(event == PAYOUT_OK, table.units, 0)
    return columns


def activity_features(
    table: TransactionTable, bounds: SnapshotBounds, total: WindowTotals
) -> dict[str, np.ndarray]:
    """Counts, volumes (USD), rates, growth, payout and recency features of every snapshot."""
    out: dict[str, np.ndarray] = {}
    for w in VOLUME_WINDOWS:
        ok, failed = total("ok", w), total("failed", w)
        out[f"charge_count_{w}"] = ok.astype(np.float64)
        out[f"charge_volume_usd_{w}"] = total("ok_usd", w) / UNITS_PER_USD
        out[f"failed_charge_rate_{w}"] = ratio(failed, ok + failed)
    for w in ("1d", "7d"):
        out[f"failed_charge_count_{w}"] = total("failed", w).astype(np.float64)
    for w in RATE_WINDOWS:
        charges, volume = total("ok", w), total("ok_usd", w)
        out[f"refund_rate_count_{w}"] = ratio(total("refunds", w), charges)
        out[f"refund_rate_amount_{w}"] = ratio(total("refund_usd", w), volume)
        out[f"dispute_count_{w}"] = total("disputes", w).astype(np.float64)
        out[f"dispute_rate_count_{w}"] = ratio(total("disputes", w), charges)
        out[f"dispute_rate_amount_{w}"] = ratio(total("dispute_usd", w), volume)
        out[f"payout_to_volume_{w}"] = ratio(total("payout_usd", w), volume)
    # Daily rates compared as integers scaled to a common period.
    earlier = total("ok_usd", "120d") - total("ok_usd", "30d")
    out["charge_count_growth_7d_30d"] = ratio(total("ok", "7d") * 30, total("ok", "30d") * 7)
    out["charge_volume_growth_7d_30d"] = ratio(
        total("ok_usd", "7d") * 30, total("ok_usd", "30d") * 7
    )
    out["charge_volume_growth_30d_prior_90d"] = ratio(total("ok_usd", "30d") * 3, earlier)
    paid, failed = total("payouts", "all"), total("payouts_failed", "all")
    out["payout_count_all"] = (paid + failed).astype(np.float64)
    out["payout_failed_count_all"] = failed.astype(np.float64)
    out["payout_failure_rate_all"] = ratio(failed, paid + failed)
    return out | _recency(table, bounds)


def _recency(table: TransactionTable, bounds: SnapshotBounds) -> dict[str, np.ndarray]:
    n = len(table)
    index = np.arange(n, dtype=np.int64)
    is_ok = table.event == CHARGE_OK
    # Next succeeded charge at or after each row, and the last one at or before it.
    next_ok = np.minimum.accumulate(np.where(is_ok, index, n)[::-1])[::-1] if n else index
    last_ok = np.maximum.accumulate(np.where(is_ok, index, -1)) if n else index
    created = np.append(table.created, 0)
    first = np.append(next_ok, n)[bounds.start]
    has_first = first < bounds.hi
    last = np.where(bounds.hi > bounds.start, np.append(last_ok, -1)[bounds.hi - 1], -1)
    has_last = last >= bounds.start
    as_of = bounds.as_of.astype(np.float64)
    return {
        "days_since_first_charge": np.where(has_first, (as_of - created[first]) / DAY, np.nan),
        "days_since_last_charge": np.where(has_last, (as_of - created[last]) / DAY, np.nan),
    }


def _spec(name: str, type_: FeatureType, monotone: Monotone, description: str) -> FeatureSpec:
    return FeatureSpec(name, type_, "transactions", monotone, description)


def _window_text(window: str) -> str:
    return "over all history before as_of" if window == "all" else f"in the {window} before as_of"


ACTIVITY_FEATURES: tuple[FeatureSpec, ...] = (
    *(
        spec
        for w in VOLUME_WINDOWS
        for spec in (
            _spec(f"charge_count_{w}", "int", 0, f"Succeeded charges {_window_text(w)}."),
            _spec(
                f"charge_volume_usd_{w}",
                "float",
                0,
                f"Succeeded charge volume in approximate USD {_window_text(w)}.",
            ),
            _spec(
                f"failed_charge_rate_{w}",
                "float",
                1,
                f"Failed / attempted charges {_window_text(w)}; NaN without attempts.",
            ),
        )
    ),
    *(
        _spec(f"failed_charge_count_{w}", "int", 1, f"Failed charges {_window_text(w)}.")
        for w in ("1d", "7d")
    ),
    *(
        spec
        for w in RATE_WINDOWS
        for spec in (
            _spec(
                f"refund_rate_count_{w}",
                "float",
                1,
                f"Succeeded refunds / succeeded charges {_window_text(w)}.",
            ),
            _spec(
                f"refund_rate_amount_{w}",
                "float",
                1,
                f"Refunded / charged volume {_window_text(w)}.",
            ),
            _spec(
                f"dispute_count_{w}",
                "int",
                1,
                f"Disputes opened {_window_text(w)}, whatever their status.",
            ),
            _spec(
                f"dispute_rate_count_{w}",
                "float",
                1,
                f"Disputes / succeeded charges {_window_text(w)}.",
            ),
            _spec(
                f"dispute_rate_amount_{w}",
                "float",
                1,
                f"Disputed / charged volume {_window_text(w)}.",
            ),
            _spec(
                f"payout_to_volume_{w}",
                "float",
                0,
                f"Paid or pending payout volume / charge volume {_window_text(w)}.",
            ),
        )
    ),
    _spec(
        "charge_count_growth_7d_30d",
        "float",
        0,
        "Daily charge count of the last 7 days / daily count of the last 30 days.",
    ),
    _spec(
        "charge_volume_growth_7d_30d",
        "float",
        0,
        "Daily charge volume of the last 7 days / daily volume of the last 30 days.",
    ),
    _spec(
        "charge_volume_growth_30d_prior_90d",
        "float",
        0,
        "Daily charge volume of the last 30 days / daily volume of the 90 days before them.",
    ),
    _spec("payout_count_all", "int", 0, "Payouts (paid, pending or failed) before as_of."),
    _spec("payout_failed_count_all", "int", 1, "Failed payouts before as_of."),
    _spec("payout_failure_rate_all", "float", 1, "Failed / all payouts before as_of."),
    _spec(
        "days_since_first_charge",
        "float",
        -1,
        "Days from the first succeeded charge to as_of; NaN before any charge.",
    ),
    _spec(
        "days_since_last_charge",
        "float",
        0,
        "Days from the last succeeded charge to as_of; NaN before any charge.",
    ),
)
