"""The typed effects one Stripe event can have; the worker applies them, nothing here does I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TransactionRow:
    """One money movement with exactly the columns of the data contract's transactions.csv."""

    id: str
    account: str
    created: int
    type: str
    amount: int
    currency: str
    status: str
    card_country: str | None = None
    card_fingerprint: str | None = None
    customer: str | None = None
    failure_code: str | None = None


@dataclass(frozen=True)
class AccountSnapshot:
    """The full Stripe Account object as of `as_of` (the event's `created`, Unix seconds)."""

    account_id: str
    state: Mapping[str, Any]
    as_of: int


@dataclass(frozen=True)
class CapabilityChange:
    """One capability's new status on an account, as of `as_of` (Unix seconds)."""

    account_id: str
    capability: str
    status: str
    as_of: int


@dataclass(frozen=True)
class Deauthorization:
    """The account disconnected the platform's application: the platform controls it no more."""

    account_id: str
    as_of: int


@dataclass(frozen=True)
class Authorization:
    """The account connected the platform's application (again): it is controllable anew."""

    account_id: str
    as_of: int


@dataclass(frozen=True)
class Rescore:
    """Ask for the account's risk to be scored again, and why (a short code, no account data)."""

    account_id: str
    reason: str


Effect = (
    TransactionRow | AccountSnapshot | CapabilityChange | Deauthorization | Authorization | Rescore
)


@dataclass(frozen=True)
class Interpretation:
    """What an event means: its effects, or the reason it is ignored (then no effects)."""

    effects: tuple[Effect, ...] = field(default_factory=tuple)
    ignored: str | None = None


class AwaitingCharge(Exception):
    """The event refers to a charge the service has not stored yet: retry the event later.

    Stripe delivers events in no particular order, so a dispute may arrive before its charge.
    """

    def __init__(self, charge_id: str) -> None:
        super().__init__(f"waiting for charge {charge_id} to be stored")
        self.charge_id = charge_id
