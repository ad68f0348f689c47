"""Build Stripe objects (accounts, persons, bank accounts) from fixtures3.json templates.

New accounts start from fixtures3.json's `account` example with type, controller, ids and
country-dependent defaults overridden so the object stays self-consistent.
"""

from __future__ import annotations

import copy
import hashlib
import random
import string
import threading
from typing import Any

_ALPHABET = string.ascii_letters + string.digits

CONTROLLERS: dict[str, dict[str, Any]] = {
    "standard": {
        "type": "application",
        "is_controller": True,
        "requirement_collection": "stripe",
        "losses": {"payments": "stripe"},
        "fees": {"payer": "account"},
        "stripe_dashboard": {"type": "full"},
    },
    "express": {
        "type": "application",
        "is_controller": True,
        "requirement_collection": "stripe",
        "losses": {"payments": "application"},
        "fees": {"payer": "application_express"},
        "stripe_dashboard": {"type": "express"},
    },
    "custom": {
        "type": "application",
        "is_controller": True,
        "requirement_collection": "application",
        "losses": {"payments": "application"},
        "fees": {"payer": "application_custom"},
        "stripe_dashboard": {"type": "none"},
    },
}
# Emulator choice: the shortest payout delay per country (Stripe's real minimums vary by country).
MINIMUM_DELAY_DAYS = {"US": 2, "CA": 2, "AU": 2, "GB": 3, "JP": 4}
DEFAULT_MINIMUM_DELAY_DAYS = 7
_CURRENCIES = {
    "US": "usd", "CA": "cad", "GB": "gbp", "AU": "aud", "NZ": "nzd", "JP": "jpy", "CH": "chf",
    "SE": "sek", "NO": "nok", "DK": "dkk", "PL": "pln", "SG": "sgd", "HK": "hkd", "MX": "mxn",
    "BR": "brl", "IN": "inr",
}  # fmt: skip
_EURO = {"AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV",
         "MT", "NL", "PT", "SI", "SK"}  # fmt: skip


class IdFactory:
    """Stripe-looking ids (`acct_…`, `evt_…`, `req_…`); deterministic when seeded."""

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def new(self, prefix: str, length: int = 24) -> str:
        """A fresh id such as `acct_1AbC…` (accounts use 16 characters after `acct_`)."""
        with self._lock:
            body = "".join(self._random.choice(_ALPHABET) for _ in range(length))
        return f"{prefix}_{body}"

    def account(self) -> str:
        """A connected-account id, shaped like `acct_1PgafTB7WZ01zgkW`."""
        return "acct_1" + self.new("x", 15)[2:]

    def request(self) -> str:
        """A request id, shaped like `req_8aPTc3ujNGxTk4`."""
        return self.new("req", 14)


def currency_for(country: str) -> str:
    """The default settlement currency of a country (emulator table, `usd` if unknown)."""
    if country in _EURO:
        return "eur"
    return _CURRENCIES.get(country, "usd")


def minimum_delay_days(country: str) -> int:
    """What `delay_days=minimum` resolves to for a country in the emulator."""
    return MINIMUM_DELAY_DAYS.get(country, DEFAULT_MINIMUM_DELAY_DAYS)


def controller_for(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Account `type` and `controller` for create params (`type`, `controller` or neither)."""
    kind = params.get("type")
    if kind in CONTROLLERS:
        return str(kind), copy.deepcopy(CONTROLLERS[kind])
    wanted = params.get("controller")
    if not wanted:
        return "standard", copy.deepcopy(CONTROLLERS["standard"])
    return "none", {
        "type": "application",
        "is_controller": True,
        "requirement_collection": wanted.get("requirement_collection", "stripe"),
        "losses": {"payments": (wanted.get("losses") or {}).get("payments", "stripe")},
        "fees": {"payer": (wanted.get("fees") or {}).get("payer", "account")},
        "stripe_dashboard": {"type": (wanted.get("stripe_dashboard") or {}).get("type", "full")},
    }


def new_account(
    template: dict[str, Any], params: dict[str, Any], account_id: str, now: int
) -> dict[str, Any]:
    """A fresh account for `POST /v1/accounts` before its params are merged in."""
    account = copy.deepcopy(template)
    kind, controller = controller_for(params)
    country = str(params.get("country") or "US").upper()
    account.update(
        id=account_id,
        object="account",
        type=kind,
        controller=controller,
        country=country,
        created=now,
        default_currency=currency_for(country),
        email=None,
        metadata={},
        capabilities={},
        charges_enabled=False,
        payouts_enabled=False,
        details_submitted=False,
        business_type=None,
    )
    account["external_accounts"] = {
        "object": "list",
        "data": [],
        "has_more": False,
        "url": f"/v1/accounts/{account_id}/external_accounts",
    }
    payouts = account.setdefault("settings", {}).setdefault("payouts", {})
    payouts["schedule"] = {"delay_days": minimum_delay_days(country), "interval": "daily"}
    return account


def new_person(
    template: dict[str, Any], person_id: str, account_id: str, now: int
) -> dict[str, Any]:
    """An empty `individual` person for an account (from the `person` fixture)."""
    person = copy.deepcopy(template)
    person.update(id=person_id, account=account_id, created=now, metadata={})
    return person


def new_bank_account(
    template: dict[str, Any], bank_id: str, account: dict[str, Any], source: str | dict[str, Any]
) -> dict[str, Any]:
    """A bank account attached to an account, from a token or an `external_account` hash.

    The fingerprint is derived from the token or the routing and account numbers, so the same
    bank account attached to two connected accounts links them, as Stripe's fingerprint does.
    """
    bank = copy.deepcopy(template)
    details = source if isinstance(source, dict) else {}
    number = str(details.get("account_number") or "000123456789")
    identity = source if isinstance(source, str) else f"{details.get('routing_number')}/{number}"
    bank.update(
        id=bank_id,
        account=account["id"],
        country=str(details.get("country") or account.get("country") or "US").upper(),
        currency=str(details.get("currency") or account.get("default_currency") or "usd").lower(),
        last4=number[-4:],
        default_for_currency=True,
        status="new",
        metadata={},
        fingerprint=hashlib.sha256(identity.encode()).hexdigest()[:16],
    )
    bank.pop("customer", None)
    for key in ("account_holder_name", "account_holder_type", "routing_number"):
        if key in details:
            bank[key] = details[key]
    return bank
