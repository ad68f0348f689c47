"""Resolve one (segment, band) cell of the policy: band defaults, then the segment's override."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service.domain.policy_model import (
        ActionsTable,
        CapabilityChanges,
        CellSpec,
        PayoutSchedule,
        RejectSpec,
        Tier,
    )


@dataclass(frozen=True)
class CellActions:
    """What the policy wants for one (segment, band): complete, nothing left to inherit."""

    payout_schedule: PayoutSchedule
    tier: Tier
    request: tuple[str, ...] = ()
    unrequest: tuple[str, ...] = ()
    documents_to_collect: tuple[str, ...] = ()
    reject: RejectSpec | None = None


def merged_fields(actions: ActionsTable, segment: str, band: str) -> dict[str, object]:
    """The fields set for a cell: defaults for the band, overridden field by field."""
    fields: dict[str, object] = {}
    for spec in (
        actions.defaults.get(band),
        actions.segments.get(segment, {}).get(band),
    ):
        if spec is not None:
            fields.update(_explicit(spec))
    return fields


def _explicit(spec: CellSpec) -> dict[str, object]:
    return {name: getattr(spec, name) for name in spec.model_fields_set}


def resolve_cell(actions: ActionsTable, segment: str, band: str) -> CellActions | list[str]:
    """The complete actions of a cell, or what is missing for it to be complete."""
    fields = merged_fields(actions, segment, band)
    missing = [name for name in ("payout_schedule", "tier") if fields.get(name) is None]
    if missing:
        return missing
    capabilities: CapabilityChanges | None = fields.get("capabilities")  # type: ignore[assignment]
    documents = fields.get("documents_to_collect") or ()
    return CellActions(
        payout_schedule=fields["payout_schedule"],  # type: ignore[arg-type]
        tier=fields["tier"],  # type: ignore[arg-type]
        request=capabilities.request if capabilities else (),
        unrequest=capabilities.unrequest if capabilities else (),
        documents_to_collect=tuple(documents),  # type: ignore[arg-type]
        reject=fields.get("reject"),  # type: ignore[arg-type]
    )
