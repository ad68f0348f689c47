"""What the policy needs to know about a connected account, read from a Stripe Account dict.

Stripe omits many fields for accounts it collects requirements for (FACTS §1), so every field
here tolerates absence and says so with None.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

_TYPE_BY_DASHBOARD = {"full": "standard", "express": "express", "none": "custom"}


@dataclass(frozen=True)
class PayoutScheduleState:
    """The account's current `settings.payouts.schedule`."""

    interval: str | None
    delay_days: int | None = None
    weekly_anchor: str | None = None
    monthly_anchor: int | None = None


@dataclass(frozen=True)
class AccountFacts:
    """A connected account's attributes and current settings, as the policy reads them.

    `capability_requested` is filled only from Capability objects (they carry `requested`);
    the account's own hash cannot tell an un-requested capability from a disabled one.
    """

    account_id: str
    country: str | None = None
    business_type: str | None = None
    mcc: str | None = None
    account_type: str | None = None
    created: datetime | None = None
    is_controller: bool = False
    losses_payments: str | None = None
    payout_schedule: PayoutScheduleState | None = None
    capabilities: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    capability_requested: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))
    metadata: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    disabled_reason: str | None = None
    # Settings an earlier decision is still changing at Stripe (its action planned, in flight
    # or waiting for a retry): `payout_schedule`, `metadata`, `capability:<name>`. The account
    # object may not show their outcome yet, so it cannot tell that they already hold.
    unsettled: frozenset[str] = frozenset()


def facts_from_account(
    account: Mapping[str, Any], capabilities: Sequence[Mapping[str, Any]] | None = None
) -> AccountFacts:
    """Build AccountFacts from a Stripe Account dict (and, optionally, its Capability objects)."""
    account_id = account.get("id")
    if not isinstance(account_id, str) or not account_id:
        raise ValueError("a Stripe Account needs a string `id`")
    controller = _mapping(account.get("controller"))
    return AccountFacts(
        account_id=account_id,
        country=_text(account.get("country")),
        business_type=_text(account.get("business_type")),
        mcc=_text(_mapping(account.get("business_profile")).get("mcc")),
        account_type=_account_type(account, controller),
        created=_moment(account.get("created")),
        is_controller=controller.get("is_controller") is True,
        losses_payments=_text(_mapping(controller.get("losses")).get("payments")),
        payout_schedule=_schedule(account),
        capabilities=MappingProxyType(
            {str(k): str(v) for k, v in _mapping(account.get("capabilities")).items()}
        ),
        capability_requested=MappingProxyType(
            {str(c["id"]): c.get("requested") is True for c in capabilities or () if "id" in c}
        ),
        metadata=MappingProxyType(
            {str(k): str(v) for k, v in _mapping(account.get("metadata")).items()}
        ),
        disabled_reason=_text(_mapping(account.get("requirements")).get("disabled_reason")),
    )


def _account_type(account: Mapping[str, Any], controller: Mapping[str, Any]) -> str | None:
    kind = _text(account.get("type"))
    if kind:
        return kind
    dashboard = _text(_mapping(controller.get("stripe_dashboard")).get("type"))
    return _TYPE_BY_DASHBOARD.get(dashboard or "")


def _schedule(account: Mapping[str, Any]) -> PayoutScheduleState | None:
    payouts = _mapping(_mapping(account.get("settings")).get("payouts"))
    schedule = payouts.get("schedule")
    if not isinstance(schedule, Mapping):
        return None
    return PayoutScheduleState(
        interval=_text(schedule.get("interval")),
        delay_days=_int(schedule.get("delay_days")),
        weekly_anchor=_text(schedule.get("weekly_anchor")),
        monthly_anchor=_int(schedule.get("monthly_anchor")),
    )


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _moment(value: object) -> datetime | None:
    seconds = _int(value)
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):  # beyond what the platform's clock can hold
        return None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
