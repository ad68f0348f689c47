"""Turn a provider plan into its rows of `transactions.csv` (data contract, DESIGN.md §3).

Per account everything stays in numpy arrays of small codes (`Movements`); strings are made
once per chunk of accounts in `movements_frame`. Refunds and disputes carry the card, card
country and customer of the charge they reverse; payouts carry none.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from training.synth.charges import CHARGE_FAILURES, CURRENCIES, draw_charges
from training.synth.config import World
from training.synth.countries import COUNTRY_CODES
from training.synth.ids import ALPHABET, optional_ids
from training.synth.payouts import PAYOUT_FAILURES, draw_payouts
from training.synth.provider import ProviderPlan
from training.synth.reversals import draw_disputes, draw_refunds

COLUMNS = (
    "id",
    "account",
    "created",
    "type",
    "amount",
    "currency",
    "status",
    "card_country",
    "card_fingerprint",
    "customer",
    "failure_code",
)
TYPES = ("charge", "refund", "dispute", "payout")
PREFIXES = ("ch_", "re_", "dp_", "po_")
STATUSES = (
    "succeeded",
    "failed",
    "needs_response",
    "under_review",
    "won",
    "lost",
    "paid",
    "pending",
)
FAILURES = CHARGE_FAILURES + PAYOUT_FAILURES
ID_LENGTH = 24
_CARD_SALT, _CUSTOMER_SALT = 0xCA7D, 0xC057
_PAYOUT_STATUS = np.array([6, 1, 7])  # payouts' paid / failed / pending as STATUSES indices


@dataclass(frozen=True)
class Movements:
    """One account's money movements as parallel code arrays, sorted by time."""

    created: np.ndarray  # int64
    kind: np.ndarray  # int8 index into TYPES
    amount: np.ndarray  # int64
    currency: np.ndarray  # int8 index into CURRENCIES
    status: np.ndarray  # int8 index into STATUSES
    failure: np.ndarray  # int8 index into FAILURES, -1 for none
    card: np.ndarray  # int64 card index, -1 for none
    customer: np.ndarray  # int64 customer index, -1 for none
    card_country: np.ndarray  # int16 index into COUNTRY_CODES, -1 for none
    id_codes: np.ndarray  # uint8 (rows, ID_LENGTH): the random part of each object id

    def __len__(self) -> int:
        return len(self.created)


def draw_movements(plan: ProviderPlan, world: World, rng: np.random.Generator) -> Movements:
    """All of one provider's charges, refunds, disputes and payouts."""
    charges = draw_charges(plan, world, rng)
    refunds = draw_refunds(plan, charges, world, rng)
    disputes = draw_disputes(plan, charges, refunds.source, world, rng)
    payouts = draw_payouts(plan, charges, refunds, disputes, world, rng)
    n_ref, n_dis, n_pay = len(refunds), len(disputes), len(payouts)
    sources = np.concatenate([refunds.source, disputes.source])
    none = np.full(n_pay, -1, dtype=np.int64)
    columns = {
        "created": np.concatenate(
            [charges.created, refunds.created, disputes.created, payouts.created]
        ),
        "kind": np.repeat(np.arange(4, dtype=np.int8), [len(charges), n_ref, n_dis, n_pay]),
        "amount": np.concatenate([charges.amount, refunds.amount, disputes.amount, payouts.amount]),
        "currency": np.concatenate(
            [
                charges.currency,
                charges.currency[sources],
                np.full(n_pay, CURRENCIES.index(payouts.currency), np.int8),
            ]
        ),
        # Refund statuses are STATUSES[0:2]; dispute statuses, in DISPUTE_STATUSES order, [2:6].
        "status": np.concatenate(
            [
                (charges.failure >= 0).astype(np.int8),
                refunds.status,
                2 + disputes.status,
                _PAYOUT_STATUS[payouts.status],
            ]
        ).astype(np.int8),
        "failure": np.concatenate(
            [
                charges.failure,
                np.full(n_ref + n_dis, -1, np.int8),
                np.where(payouts.failure < 0, -1, payouts.failure + len(CHARGE_FAILURES)),
            ]
        ).astype(np.int8),
        "card": np.concatenate([charges.card, charges.card[sources], none]),
        "customer": np.concatenate([charges.customer, charges.customer[sources], none]),
        "card_country": np.concatenate(
            [charges.card_country, charges.card_country[sources], none.astype(np.int16)]
        ),
    }
    order = np.argsort(columns["created"], kind="stable")
    codes = rng.integers(0, len(ALPHABET), size=(len(order), ID_LENGTH), dtype=np.uint8)
    return Movements(**{name: c[order] for name, c in columns.items()}, id_codes=codes)


def _lookup(table: tuple[str, ...], codes: np.ndarray) -> np.ndarray:
    """Strings for codes, "" where the code is -1."""
    values = np.array(("",) + table, dtype=object)
    return values[codes.astype(np.int64) + 1]


def movement_columns(
    accounts: list[str], movements: list[Movements], salt: int
) -> dict[str, np.ndarray]:
    """The contract's transactions columns, as arrays, for several accounts' movements."""
    merged = {
        f.name: np.concatenate([getattr(m, f.name) for m in movements]) for f in fields(Movements)
    }
    kind = merged["kind"]
    tokens = ALPHABET[merged["id_codes"]].view(f"S{ID_LENGTH}").ravel().astype(str)
    return {
        "id": np.char.add(np.array(PREFIXES)[kind], tokens),
        "account": np.repeat(np.array(accounts, dtype=object), [len(m) for m in movements]),
        "created": merged["created"],
        "type": np.array(TYPES, dtype=object)[kind],
        "amount": merged["amount"],
        "currency": np.array(CURRENCIES, dtype=object)[merged["currency"]],
        "status": np.array(STATUSES, dtype=object)[merged["status"]],
        "card_country": _lookup(COUNTRY_CODES, merged["card_country"]),
        "card_fingerprint": optional_ids(merged["card"], salt ^ _CARD_SALT, "", 16),
        "customer": optional_ids(merged["customer"], salt ^ _CUSTOMER_SALT, "cus_", 14),
        "failure_code": _lookup(FAILURES, merged["failure"]),
    }


def movements_frame(accounts: list[str], movements: list[Movements], salt: int) -> pd.DataFrame:
    """The transactions rows of several accounts as a DataFrame with the contract's columns."""
    columns = movement_columns(accounts, movements, salt)
    return pd.DataFrame({name: columns[name] for name in COLUMNS})


def movements_csv(accounts: list[str], movements: list[Movements], salt: int) -> bytes:
    """The same rows as CSV lines without header, written by Arrow's CSV writer.

    Arrow writes these rows about ten times faster than `DataFrame.to_csv`; quoting "none" is
    safe because every value comes from a fixed alphabet, and Arrow refuses any value that
    would need quoting rather than writing a broken row.
    """
    columns = movement_columns(accounts, movements, salt)
    table = pa.table({name: pa.array(columns[name]) for name in COLUMNS})
    sink = io.BytesIO()
    options = pa_csv.WriteOptions(include_header=False, quoting_style="none")
    pa_csv.write_csv(table, sink, options)
    return sink.getvalue()
