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
    """What an analyst concluded about an account, the risk band it was in at that time, and
    the digest of the evidence it was judged on (None for resolutions recorded before it was
    kept: those follow the band alone)."""

    outcome: Resolution
    band: str
    resolved_at: dt.datetime
    evidence: str | None = None


def analyst_override(
    latest_resolution: AnalystResolution | None,
    new_band: str,
    band_order: Sequence[str],
    bands_since: Collection[tuple[str, str | None]] = (),
    new_evidence: str | None = None,
) -> bool:
    """Whether the analyst's resolution still stands against a rescore that lands in `new_band`
    having seen the evidence digested as `new_evidence`.

    A human judged the account on the evidence of the time, in the band it had then. Only new
    evidence that moves the account to another band (up or down) reopens the question, and
    then for good: `bands_since` are the (band, evidence) of the account's decisions after the
    resolution, and once one of them moved the band on new evidence, a later return to the
    analyst's band is a new escalation, not the case they judged. A band that moved while the
    evidence stayed the same (a new champion model, a policy edit, time passing) leaves the
    resolution standing. Without an evidence digest on either side (decisions or resolutions
    recorded before digests were kept) any other band counts as new evidence. With no
    resolution there is nothing to keep.

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

    def moved_on_new_evidence(band: str, evidence: str | None) -> bool:
        if band == latest_resolution.band:
            return False
        judged = latest_resolution.evidence
        return judged is None or evidence is None or evidence != judged

    if any(moved_on_new_evidence(band, evidence) for band, evidence in bands_since):
        return False
    return not moved_on_new_evidence(new_band, new_evidence)


def stand_by_analyst(
    actions: Sequence[PlannedAction], resolution: AnalystResolution, band: str | None = None
) -> tuple[PlannedAction, ...]:
    """The decision's actions with nothing left to send: the analyst's resolution stands.

    Every action becomes `noop` with the resolution as its reason, so the rescore is audited
    but neither Stripe nor the review queue hears of it.
    """
    when = resolution.resolved_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    reason = (
        f"an analyst's '{resolution.outcome}' resolution ({when}) stands in band {resolution.band}"
    )
    if band is not None and band != resolution.band:
        reason = (
            f"an analyst's '{resolution.outcome}' resolution ({when}, in band "
            f"{resolution.band}) stands: the band is now {band}, but the evidence is unchanged"
        )
    return tuple(replace(action, status="noop", reason=reason) for action in actions)
