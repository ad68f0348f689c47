"""Draw payouts by running the provider's balance through its payout schedule.

Succeeded charges (less fees) become available after the schedule's delay; refunds and
disputes are debited when they happen. On each payout day the balance above what was already
paid out goes to the bank account. Providers taking instant payouts withdraw each day's
takings the same day. A failed payout's money returns and leaves with the next one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from training.synth.charges import CURRENCIES, Charges
from training.synth.choice import categorical, randint
from training.synth.config import DAY, World
from training.synth.countries import minor_per_usd
from training.synth.provider import ProviderPlan
from training.synth.reversals import Reversals

PAYOUT_FAILURES = (
    "could_not_process",
    "account_closed",
    "invalid_account_number",
    "no_account",
    "bank_account_restricted",
)
_HONEST_FAILURES = np.array([0.35, 0.2, 0.15, 0.15, 0.15])
_SCHEME_FAILURES = np.array([0.1, 0.35, 0.2, 0.3, 0.05])
_WEEKDAY = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4}
FEE_RATE, FEE_FIXED_USD, DISPUTE_FEE_USD = 0.029, 0.30, 15.0
PENDING_FOR = 2 * DAY


@dataclass(frozen=True)
class Payouts:
    """One provider's payouts as parallel arrays, in the bank account's currency."""

    created: np.ndarray  # int64
    amount: np.ndarray  # int64, minor units of `currency`
    status: np.ndarray  # int8: 0 paid, 1 failed, 2 pending
    failure: np.ndarray  # int8 index into PAYOUT_FAILURES, -1 unless failed
    currency: str

    def __len__(self) -> int:
        return len(self.created)


def _to_settlement(amount: np.ndarray, currency: np.ndarray, settle: str) -> np.ndarray:
    rates = np.array([minor_per_usd(c) for c in CURRENCIES])
    return np.asarray(amount * (minor_per_usd(settle) / rates[currency]), dtype=np.float64)


def _payout_days(plan: ProviderPlan, rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
    schedule = plan.schedule
    keep = np.ones(len(days), dtype=bool)
    if schedule.interval == "weekly":
        keep = (days + 3) % 7 == _WEEKDAY.get(str(schedule.anchor), 0)
    elif schedule.interval == "monthly":
        dom = days.astype("datetime64[D]") - days.astype("datetime64[D]").astype("datetime64[M]")
        keep = dom.astype(np.int64) + 1 == int(schedule.anchor or 1)
    elif schedule.interval == "manual":
        every = randint(rng, 3, 22)
        keep = (days - days[0] - randint(rng, 0, every)) % every == 0
    return np.asarray(days[keep])


def draw_payouts(
    plan: ProviderPlan,
    charges: Charges,
    refunds: Reversals,
    disputes: Reversals,
    world: World,
    rng: np.random.Generator,
) -> Payouts:
    """Payouts from sign-up until the account stops (closure) or the window ends."""
    settle = plan.bank.currency
    s = plan.scheme
    instant = plan.traits.instant_payouts or (s is not None and s.instant_payouts)
    stop = min(plan.outcome.stops_at, world.end)
    first_day, last_day = plan.created // DAY, (stop - 1) // DAY
    days = np.arange(first_day, last_day + 1, dtype=np.int64)
    ok = charges.failure < 0
    usd = minor_per_usd(settle)
    credit = _to_settlement(charges.amount[ok], charges.currency[ok], settle)
    credit = credit * (1 - FEE_RATE) - FEE_FIXED_USD * usd
    delay = 0 if instant else plan.schedule.delay_days
    refund_ok = refunds.status == 0
    source_currency = charges.currency
    debits = [
        _to_settlement(
            refunds.amount[refund_ok], source_currency[refunds.source[refund_ok]], settle
        ),
        _to_settlement(disputes.amount, source_currency[disputes.source], settle)
        + DISPUTE_FEE_USD * usd,
    ]
    when = np.concatenate(
        [
            charges.created[ok] // DAY + delay,
            refunds.created[refund_ok] // DAY,
            disputes.created // DAY,
        ]
    )
    value = np.concatenate([credit, -debits[0], -debits[1]])
    inside = (when >= first_day) & (when <= last_day)
    balance = np.cumsum(
        np.bincount(when[inside] - first_day, weights=value[inside], minlength=len(days))
    )
    if instant:
        chosen = days
        at = chosen * DAY + rng.uniform(12 * 3600, DAY - 60, len(chosen)).astype(np.int64)
    else:
        chosen = _payout_days(plan, rng, days)
        at = chosen * DAY + rng.uniform(0, 6 * 3600, len(chosen)).astype(np.int64)
    paid = (
        np.maximum.accumulate(np.maximum(balance[chosen - first_day], 0.0))
        if len(chosen)
        else np.zeros(0)
    )
    amount = np.floor(np.diff(paid, prepend=0.0)).astype(np.int64)
    keep = (amount >= round(usd)) & (at < stop) & (at >= plan.created)
    at, amount = at[keep], amount[keep]
    n = len(at)
    fail_rate = plan.traits.payout_fail_rate
    if plan.bank.status in ("verification_failed", "errored"):
        fail_rate += 0.2
    scheme_fails = np.zeros(n, bool)
    if s is not None and s.payout_fail_rate > 0:
        scheme_fails = (at >= s.starts_at) & (rng.random(n) < s.payout_fail_rate)
    failed = (rng.random(n) < fail_rate) | scheme_fails
    pending = at >= world.end - PENDING_FOR
    failed &= ~pending
    for i in np.flatnonzero(failed[:-1]):
        amount[i + 1] += amount[i]  # the money bounces back and leaves with the next payout
    codes = np.where(
        scheme_fails, categorical(rng, _SCHEME_FAILURES, n), categorical(rng, _HONEST_FAILURES, n)
    )
    status = np.where(pending, 2, np.where(failed, 1, 0)).astype(np.int8)
    failure = np.where(failed, codes, -1).astype(np.int8)
    return Payouts(at, amount, status, failure, settle)
