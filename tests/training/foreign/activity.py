"""What each provider's money does: charges, refunds, disputes and payouts, by mechanism.

Customers come from one marketplace-wide pool (the same shopper buys from many providers),
so shared cards are normal here; fraud brings fresh cards, bursts, refund and dispute spikes,
round amounts and cards cycled inside a ring.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from foreign.population import COUNTRIES, DAY, USD_PER_UNIT, ZERO_DECIMAL, Provider

HONEST_DECLINES = ("card_declined", "insufficient_funds", "expired_card", "incorrect_cvc")
FRAUD_DECLINES = ("stolen_card", "lost_card", "fraudulent", "incorrect_number", "card_declined")
DISPUTE_STATES = ("needs_response", "under_review", "won", "lost")
WORLD = tuple(c[0] for c in COUNTRIES) + ("BR", "NG", "ID", "VN", "TR", "UA")


@dataclass(frozen=True)
class Pool:
    """Shoppers by country: customer ids and their card fingerprints (one card each)."""

    customers: dict[str, np.ndarray]
    cards: dict[str, np.ndarray]


@dataclass(frozen=True)
class Clientele:
    """Who pays one provider (or a burst of it): customer ids, cards and card countries."""

    customers: np.ndarray
    cards: np.ndarray
    countries: np.ndarray


def _ids(rng: np.random.Generator, prefix: str, n: int, width: int = 14) -> np.ndarray:
    alphabet = np.array(list("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"))
    letters = alphabet[rng.integers(0, len(alphabet), (n, width))]
    return np.array([prefix + "".join(row) for row in letters], dtype=object)


def make_pool(rng: np.random.Generator, providers: int) -> Pool:
    """About thirty shoppers per provider, spread over the markets."""
    size = max(200, providers * 30 // len(COUNTRIES))
    return Pool(
        customers={c[0]: _ids(rng, "cus_", size) for c in COUNTRIES},
        cards={c[0]: _ids(rng, "", size, 16) for c in COUNTRIES},
    )


def regulars(rng: np.random.Generator, pool: Pool, country: str, n: int) -> Clientele:
    """`n` returning shoppers, mostly from the provider's own country."""
    home = rng.random(n) < 0.85
    countries = np.where(home, country, rng.choice([c[0] for c in COUNTRIES], n))
    picks = [int(rng.integers(0, len(pool.customers[c]))) for c in countries]
    return Clientele(
        customers=np.array([pool.customers[c][i] for c, i in zip(countries, picks, strict=True)]),
        cards=np.array([pool.cards[c][i] for c, i in zip(countries, picks, strict=True)]),
        countries=countries.astype(object),
    )


def strangers(rng: np.random.Generator, n: int, foreign: float, country: str) -> Clientele:
    """`n` cards never seen before, a `foreign` share issued abroad, half without a customer."""
    countries = np.where(rng.random(n) < foreign, rng.choice(WORLD, n), country).astype(object)
    customers = np.where(rng.random(n) < 0.5, _ids(rng, "cus_", n), "")
    return Clientele(customers.astype(object), _ids(rng, "", n, 16), countries)


@dataclass(frozen=True)
class Spell:
    """A stretch of uniform behaviour: when, how busy, how big, who pays, what goes wrong."""

    start: int
    end: int
    per_day: float
    ticket_usd: float
    payers: Clientele
    fail_rate: float = 0.04
    declines: tuple[str, ...] = HONEST_DECLINES
    refund_rate: float = 0.02
    dispute_rate: float = 0.002
    round_share: float = 0.0
    small_share: float = 0.0  # $1-5 card tests among the charges


def _minor(currency: str) -> int:
    return 1 if currency in ZERO_DECIMAL else 100


def _spell_rows(rng: np.random.Generator, p: Provider, s: Spell, end: int) -> pd.DataFrame:
    days = max(0.0, (min(s.end, end) - s.start) / DAY)
    n = int(rng.poisson(s.per_day * days))
    if n == 0:
        return pd.DataFrame()
    created = np.sort(rng.integers(s.start, s.start + int(days * DAY), n))
    weights = 1.0 / np.arange(1, len(s.payers.cards) + 1) ** 0.8
    who = rng.choice(len(s.payers.cards), n, p=weights / weights.sum())
    major = s.ticket_usd / USD_PER_UNIT[p.currency] * rng.lognormal(0.0, 0.6, n)
    small = rng.random(n) < s.small_share
    major = np.where(small, rng.uniform(1, 5, n) / USD_PER_UNIT[p.currency], major)
    rounded = rng.random(n) < s.round_share
    magnitude = 10.0 ** np.maximum(1, np.floor(np.log10(np.maximum(major, 1))) - 1)
    major = np.where(rounded, np.round(major / magnitude) * magnitude, major)
    amount = np.maximum(1, np.round(major * _minor(p.currency))).astype(np.int64)
    failed = rng.random(n) < s.fail_rate
    charges = pd.DataFrame(
        {
            "id": _ids(rng, "ch_", n, 24),
            "created": created,
            "type": "charge",
            "amount": amount,
            "status": np.where(failed, "failed", "succeeded"),
            "card_country": s.payers.countries[who],
            "card_fingerprint": s.payers.cards[who],
            "customer": s.payers.customers[who],
            "failure_code": np.where(failed, rng.choice(s.declines, n), ""),
        }
    )
    ok = charges[~failed]
    parts = [charges]
    for kind, rate, lag in (
        ("refund", s.refund_rate, (1, 20)),
        ("dispute", s.dispute_rate, (7, 60)),
    ):
        hit = ok[rng.random(len(ok)) < rate]
        if hit.empty:
            continue
        m = len(hit)
        states = DISPUTE_STATES if kind == "dispute" else ("succeeded",) * 9 + ("failed",)
        parts.append(
            pd.DataFrame(
                {
                    "id": _ids(rng, "re_" if kind == "refund" else "dp_", m, 24),
                    "created": hit["created"].to_numpy() + rng.integers(lag[0], lag[1], m) * DAY,
                    "type": kind,
                    "amount": hit["amount"].to_numpy(),
                    "status": rng.choice(states, m),
                    "card_country": "",
                    "card_fingerprint": "",
                    "customer": "",
                    "failure_code": "",
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _payouts(
    rng: np.random.Generator, money: pd.DataFrame, every_days: int, stop: int, end: int
) -> pd.DataFrame:
    """Net settled money paid out every `every_days`, two days after each period."""
    if money.empty:
        return pd.DataFrame()
    settled = money[(money["status"] == "succeeded") & money["type"].isin(["charge", "refund"])]
    signed = np.where(settled["type"] == "charge", 0.97, -1.0) * settled["amount"]
    first = int(settled["created"].min()) if len(settled) else stop
    edges = np.arange(first, min(stop, end) + every_days * DAY, every_days * DAY)
    period = np.searchsorted(edges, settled["created"].to_numpy(), side="right")
    totals = pd.Series(signed.to_numpy()).groupby(period).sum()
    rows = []
    for index, total in totals.items():
        when = int(edges[min(int(index), len(edges) - 1)]) + 2 * DAY
        if total <= 0 or when >= end or when >= stop + 3 * DAY:
            continue
        failed = rng.random() < 0.015
        status = "pending" if when > end - 3 * DAY else ("failed" if failed else "paid")
        rows.append((when, int(total), status, "account_closed" if status == "failed" else ""))
    frame = pd.DataFrame(rows, columns=["created", "amount", "status", "failure_code"])
    return frame.assign(
        id=_ids(rng, "po_", len(frame), 24),
        type="payout",
        card_country="",
        card_fingerprint="",
        customer="",
    )


def behaviour(
    rng: np.random.Generator, p: Provider, pool: Pool, ring_cards: Clientele | None, end: int
) -> tuple[list[Spell], int | None]:
    """The provider's spells, and its closure time when the mechanism decides it here."""
    begin = p.created + int(rng.integers(0, 14)) * DAY
    busy = float(min(30.0, rng.lognormal(np.log(0.6), 0.9)))
    own = regulars(rng, pool, p.country, int(rng.integers(5, 120)))
    fail = float(rng.uniform(0.02, 0.08))
    refunds = min(0.3, p.returns * float(rng.uniform(0.5, 1.8)))
    disputes = float(rng.uniform(0.0005, 0.004))
    stop = p.closed_at or end
    if p.mechanism in ("honest", "paperwork"):
        if p.mechanism == "honest" and p.closed_at is None and rng.random() < 0.15:
            stop = int(rng.integers(begin, end))  # providers who simply stop selling
        ramp = min(stop, begin + 30 * DAY)
        spells = [
            Spell(
                begin,
                ramp,
                busy * 0.5,
                p.ticket_usd,
                own,
                fail,
                refund_rate=refunds,
                dispute_rate=disputes,
            ),
            Spell(
                ramp,
                stop,
                busy,
                p.ticket_usd,
                own,
                fail,
                refund_rate=refunds,
                dispute_rate=disputes,
            ),
        ]
        if p.mcc == "7941" and rng.random() < 0.6:  # a tournament or festival: honest burst
            peak = int(rng.integers(begin, max(begin + 1, stop)))
            crowd = strangers(rng, 400, 0.3, p.country)
            spells.append(Spell(peak, peak + 10 * DAY, busy * 6 + 3, p.ticket_usd, crowd, fail))
        return spells, p.closed_at
    if p.mechanism == "bust_out":
        burst = begin + int(rng.integers(25, 150)) * DAY
        closure = burst + int(rng.integers(12, 45)) * DAY
        quiet = float(rng.lognormal(np.log(0.4), 0.6))
        crowd = strangers(rng, 600, 0.5, p.country)
        return [
            Spell(
                begin,
                burst,
                quiet,
                p.ticket_usd,
                own,
                fail,
                refund_rate=refunds,
                dispute_rate=disputes,
            ),
            Spell(
                burst,
                burst + int(rng.integers(5, 15)) * DAY,
                float(rng.uniform(8, 20)),
                p.ticket_usd * float(rng.uniform(2.5, 6)),
                crowd,
                0.15,
                FRAUD_DECLINES,
                refund_rate=0.01,
                dispute_rate=float(rng.uniform(0.2, 0.4)),
            ),
        ], closure
    if p.mechanism == "dispute_spike":
        turn = begin + int(rng.integers(20, 120)) * DAY
        closure = turn + int(rng.integers(25, 70)) * DAY
        return [
            Spell(
                begin,
                turn,
                busy,
                p.ticket_usd,
                own,
                fail,
                refund_rate=refunds,
                dispute_rate=disputes,
            ),
            Spell(
                turn,
                closure,
                busy * float(rng.uniform(1.5, 3)),
                p.ticket_usd,
                regulars(rng, pool, p.country, 150),
                fail,
                refund_rate=float(rng.uniform(0.2, 0.45)),
                dispute_rate=float(rng.uniform(0.04, 0.12)),
            ),
        ], closure
    if p.mechanism == "bank_ring":
        assert ring_cards is not None
        return [
            Spell(
                begin,
                stop,
                float(rng.lognormal(np.log(1.5), 0.5)),
                float(rng.uniform(100, 400)),
                ring_cards,
                0.03,
                refund_rate=0.0,
                dispute_rate=0.01,
                round_share=0.6,
            )
        ], p.closed_at
    # cash_out: stolen cards run through a fresh account until the platform notices.
    crowd = strangers(rng, 2000, 0.6, p.country)
    return [
        Spell(
            begin,
            stop,
            float(rng.uniform(5, 25)),
            p.ticket_usd * 3,
            crowd,
            float(rng.uniform(0.3, 0.6)),
            FRAUD_DECLINES,
            refund_rate=0.01,
            dispute_rate=0.12,
            small_share=0.4,
        )
    ], p.closed_at


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    kept = [part for part in parts if not part.empty]
    return pd.concat(kept, ignore_index=True) if kept else pd.DataFrame()


def transactions(
    rng: np.random.Generator, p: Provider, pool: Pool, ring_cards: Clientele | None, end: int
) -> tuple[pd.DataFrame, int | None]:
    """All of one provider's rows before `end`, and its closure time (None: not closed)."""
    spells, closure = behaviour(rng, p, pool, ring_cards, end)
    stop = min(closure or end, end)
    parts = [_spell_rows(rng, p, replace(s, end=min(s.end, stop)), end) for s in spells]
    money = _concat(parts)
    daily = p.mechanism in ("bust_out", "bank_ring", "cash_out")
    frame = _concat([money, _payouts(rng, money, 1 if daily else 7, stop, end)])
    if frame.empty:
        return frame, closure
    frame = frame[frame["created"] < end]
    return frame.assign(account=p.id, currency=p.currency), closure
