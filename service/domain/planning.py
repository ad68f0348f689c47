"""Turn a decision (band, segment) into planned actions, compared with the account's current state.

Nothing is planned for sending when the desired state already holds (`noop`), and nothing Stripe
would refuse is planned either (`not_controllable`, decided from the account's controller) — that
is what keeps the service from looping on its own `account.updated` events. A setting an earlier
decision is still changing (`AccountFacts.unsettled`) never counts as holding: it is restated.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from service.domain.actions import PlannedAction, idempotency_key
from service.domain.cells import CellActions, resolve_cell
from service.domain.facts import AccountFacts, PayoutScheduleState
from service.domain.policy_model import PayoutSchedule, Policy
from service.domain.stripe_vocab import (
    CAPABILITY_NAMES,
    IDEMPOTENCY_KEY_MAX,
    METADATA_VALUE_MAX,
)

_NOT_CONTROLLER = (
    "the platform does not control this account (controller.is_controller is not true), "
    "so Stripe refuses to change its {what}"
)
_ACTIVE_STATUSES = frozenset({"active", "pending"})
_PAYOUT = "payout_schedule"
_RESTATED = "restated: an earlier decision is still changing it"
_LONGEST_KEY_SUFFIX = len(idempotency_key("", "capability", max(CAPABILITY_NAMES, key=len)))
_PERMANENT_CAPABILITIES = frozenset({("express", "transfers"), ("standard", "card_payments")})


def plan_actions(
    decision_id: str,
    score: float,
    band: str,
    segment: str,
    facts: AccountFacts,
    policy: Policy,
    model_version: str,
    decided_at: datetime,
) -> list[PlannedAction]:
    """The actions of one decision, in order: payout schedule, capabilities, metadata, reject,
    review. Each carries its deterministic idempotency key and a status saying whether to send."""
    _check_inputs(decision_id, decided_at)
    cell = resolve_cell(policy.actions, segment, band)
    if isinstance(cell, list):
        raise ValueError(f"policy has no complete cell for segment {segment!r}, band {band!r}")
    actions = [_payout(decision_id, cell.payout_schedule, facts, policy)]
    actions += _capabilities(decision_id, cell, facts)
    if policy.mirror_metadata:
        desired = _mirror(policy, score, band, cell, model_version, decided_at)
        actions.append(_metadata(decision_id, desired, facts))
    if cell.reject is not None:
        actions.append(_reject(decision_id, cell, facts))
    awaiting = any(a.status == "awaiting_review" for a in actions)
    if cell.tier == "manual_review" or awaiting:
        actions.append(_review(decision_id, score, band, segment, cell, facts))
    if _rejected(facts):
        return [_left_rejected(action, facts) for action in actions if action.kind != "review"]
    return actions


def _rejected(facts: AccountFacts) -> bool:
    return (facts.disabled_reason or "").startswith("rejected.")


def _left_rejected(action: PlannedAction, facts: AccountFacts) -> PlannedAction:
    """A rejected account is left as it is: no decision loosens its payouts or re-requests a
    capability (a rejection is undone only by the platform's own `unreject`), none mirrors a
    band onto it, and none queues it for review again."""
    if action.status == "noop":
        return action
    reason = f"account rejected at Stripe ({facts.disabled_reason}): nothing is changed"
    return dataclasses.replace(action, status="noop", reason=reason)


def _settled(facts: AccountFacts, setting: str) -> bool:
    """Whether the account object can be trusted for `setting`: no earlier decision is still
    changing it. Otherwise a newer decision restates it rather than calling it a noop, or an
    older value landing after the account object was taken would stand."""
    return setting not in facts.unsettled


def _check_inputs(decision_id: str, decided_at: datetime) -> None:
    too_long = len(decision_id) + _LONGEST_KEY_SUFFIX > IDEMPOTENCY_KEY_MAX
    if not decision_id or not decision_id.isprintable() or too_long:
        raise ValueError("decision_id must be printable and short enough for idempotency keys")
    if decided_at.tzinfo is None:
        raise ValueError("decided_at must be timezone-aware")


def _action(decision_id: str, facts: AccountFacts, **fields: Any) -> PlannedAction:
    key = idempotency_key(decision_id, fields["kind"], fields.get("capability"))
    return PlannedAction(account_id=facts.account_id, idempotency_key=key, **fields)


def schedule_holds(
    desired: PayoutSchedule, current: PayoutScheduleState | None, minimum_days: int
) -> bool:
    """Whether the current schedule already is the desired one.

    `minimum` cannot be compared exactly (Stripe resolves it per account), so it holds when the
    current delay is at most the policy's `minimum_delay_days` for the country.
    """
    if current is None or current.interval != desired.interval:
        return False
    if desired.interval == "manual":  # Stripe keeps the last delay; it does not matter
        return True
    if desired.interval == "weekly" and current.weekly_anchor != desired.weekly_anchor:
        return False
    if desired.interval == "monthly" and current.monthly_anchor != desired.monthly_anchor:
        return False
    if current.delay_days is None:
        return False
    if desired.delay_days in (None, "minimum"):
        return current.delay_days <= minimum_days
    return current.delay_days == desired.delay_days


def _payout(
    decision_id: str, desired: PayoutSchedule, facts: AccountFacts, policy: Policy
) -> PlannedAction:
    table = policy.minimum_delay_days
    minimum = table.get(facts.country or "", table["default"])
    params = {"settings": {"payouts": {"schedule": desired.stripe_params()}}}
    if schedule_holds(desired, facts.payout_schedule, minimum) and _settled(facts, _PAYOUT):
        status, reason = "noop", "payout schedule already as desired"
    elif not facts.is_controller:
        status, reason = "not_controllable", _NOT_CONTROLLER.format(what="payout schedule")
    else:
        status, reason = "planned", f"payout schedule for this band: {desired.interval}"
        if not _settled(facts, _PAYOUT):
            reason += f" ({_RESTATED})"
    return _action(
        decision_id, facts, kind="payout_schedule", params=params, status=status, reason=reason
    )


def _capability_holds(name: str, wanted: bool, facts: AccountFacts) -> bool:
    if name in facts.capability_requested:
        return facts.capability_requested[name] is wanted
    status = facts.capabilities.get(name)
    # Without Capability objects, `inactive` may mean un-requested or disabled; treating it as
    # un-requested avoids re-sending an un-request forever, at the cost of re-requesting once.
    return (status in _ACTIVE_STATUSES) if wanted else (status is None or status == "inactive")


def _permanent(name: str, facts: AccountFacts) -> bool:
    # Stripe: "Some capabilities are permanent after they've been requested": transfers on
    # Express accounts, card_payments on accounts with the full (Standard) dashboard.
    return (facts.account_type, name) in _PERMANENT_CAPABILITIES


def _capabilities(decision_id: str, cell: CellActions, facts: AccountFacts) -> list[PlannedAction]:
    changes = [(name, False) for name in cell.unrequest] + [(name, True) for name in cell.request]
    actions = []
    for name, wanted in changes:
        verb = "request" if wanted else "un-request"
        if _capability_holds(name, wanted, facts) and _settled(facts, f"capability:{name}"):
            status, reason = "noop", f"{name} already {'requested' if wanted else 'not requested'}"
        elif not facts.is_controller:
            status, reason = "not_controllable", _NOT_CONTROLLER.format(what="capabilities")
        elif not wanted and _permanent(name, facts):
            status = "not_controllable"
            reason = (
                f"{name} is permanent on {facts.account_type} accounts once requested: "
                "Stripe refuses to remove it"
            )
        else:
            status, reason = "planned", f"policy says {verb} {name}"
            if not _settled(facts, f"capability:{name}"):
                reason += f" ({_RESTATED})"
        actions.append(
            _action(
                decision_id,
                facts,
                kind="capability",
                capability=name,
                params={"requested": wanted},
                status=status,
                reason=reason,
            )
        )
    return actions


def _mirror(
    policy: Policy,
    score: float,
    band: str,
    cell: CellActions,
    model_version: str,
    decided_at: datetime,
) -> dict[str, str]:
    values = {
        "risk_score": f"{score:.4f}",
        "risk_band": band,
        "risk_tier": cell.tier,
        "risk_model": model_version[:METADATA_VALUE_MAX],
        "risk_decided_at": decided_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return {key: values[key] for key in policy.mirror_metadata}


def _metadata(decision_id: str, desired: dict[str, str], facts: AccountFacts) -> PlannedAction:
    # risk_decided_at is left out of the comparison: it changes with every decision, and a
    # metadata write triggers account.updated, which would be rescored and written again.
    compared = {k: v for k, v in desired.items() if k != "risk_decided_at"}
    if not _settled(facts, "metadata"):
        status, reason = "planned", f"mirror risk metadata ({_RESTATED})"
    elif all(facts.metadata.get(k) == v for k, v in compared.items()):
        status, reason = "noop", "risk metadata already mirrored"
    else:
        changed = sorted(k for k, v in compared.items() if facts.metadata.get(k) != v)
        status, reason = "planned", f"mirror risk metadata ({', '.join(changed)} changed)"
    return _action(
        decision_id,
        facts,
        kind="metadata",
        params={"metadata": desired},
        status=status,
        reason=reason,
    )


def _reject(decision_id: str, cell: CellActions, facts: AccountFacts) -> PlannedAction:
    assert cell.reject is not None
    params = {"reason": cell.reject.reason}
    if (facts.disabled_reason or "").startswith("rejected."):
        status, reason = "noop", f"account already rejected ({facts.disabled_reason})"
    elif not facts.is_controller or facts.losses_payments != "application":
        status = "not_controllable"
        reason = (
            "Stripe rejects only accounts the platform controls and whose losses it carries "
            "(controller.losses.payments = application, never Standard accounts); this account "
            f"has is_controller={facts.is_controller}, "
            f"losses.payments={facts.losses_payments or 'unknown'}"
        )
    elif cell.reject.requires_review:
        status, reason = "awaiting_review", "rejection waits for an analyst to confirm"
    else:
        status, reason = "planned", f"policy rejects at this band ({cell.reject.reason})"
    return _action(decision_id, facts, kind="reject", params=params, status=status, reason=reason)


def _review(
    decision_id: str,
    score: float,
    band: str,
    segment: str,
    cell: CellActions,
    facts: AccountFacts,
) -> PlannedAction:
    params = {
        "score": round(score, 4),
        "band": band,
        "segment": segment,
        "tier": cell.tier,
        "documents_to_collect": list(cell.documents_to_collect),
        "reject_reason": cell.reject.reason if cell.reject else None,
    }
    why = "manual_review tier" if cell.tier == "manual_review" else "rejection needs confirmation"
    return _action(
        decision_id,
        facts,
        kind="review",
        params=params,
        status="planned",
        reason=f"enter the review queue ({why})",
    )
