"""When an analyst's review resolution outranks a later automatic rescore of the same account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from service.domain.actions import PlannedAction

Resolution = Literal["approve", "hold", "reject"]
RESOLUTIONS: tuple[Resolution, ...] = ("approve", "hold", "reject")


@dataclass(frozen=True)
class AnalystResolution:
    """What an analyst concluded about an account, and the risk band it was in at that time."""

    outcome: Resolution
    band: str
    resolved_at: dt.datetime


def analyst_override(
    latest_resolution: AnalystResolution | None,
    new_band: str,
    band_order: Sequence[str],
    bands_since: Collection[str] = (),
) -> bool:
    """Whether the analyst's resolution still stands against a rescore that lands in `new_band`.

    A human looked at the account in the band it had then; a rescore that lands in that same
    band brings nothing the analyst did not weigh, so it must not overturn them. New evidence
    that moves the account to any other band (up or down) reopens the question and the policy
    applies again, and for good: `bands_since` are the bands of the account's decisions after
    the resolution, and once one of them differs, a later return to the analyst's band is a
    new escalation, not the case they judged. With no resolution there is nothing to keep.

    A resolution made in a band the policy no longer has (renamed or removed) no longer
    stands: the policy speaks again, and a review opens if the band asks for one. Raises
    ValueError for a `new_band` not in `band_order` (the policy's bands, lowest risk first):
    the policy itself produced it, so that is a bug.
    """
    known = set(band_order)
    if new_band not in known:
        raise ValueError(f"unknown risk band {new_band!r}; the policy's bands: {list(band_order)}")
    if latest_resolution is None or latest_resolution.band not in known:
        return False
    if any(band != latest_resolution.band for band in bands_since):
        return False
    return latest_resolution.band == new_band


def stand_by_analyst(
    actions: Sequence[PlannedAction], resolution: AnalystResolution
) -> tuple[PlannedAction, ...]:
    """The decision's actions with nothing left to send: the analyst's resolution stands.

    Every action becomes `noop` with the resolution as its reason, so the rescore is audited
    but neither Stripe nor the review queue hears of it.
    """
    when = resolution.resolved_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    reason = (
        f"an analyst's '{resolution.outcome}' resolution ({when}) stands in band {resolution.band}"
    )
    return tuple(replace(action, status="noop", reason=reason) for action in actions)
