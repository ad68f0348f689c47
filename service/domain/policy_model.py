"""The policy's shape, validated field by field: bands, segments and (segment, band) actions.

Cross-field rules (band order, references, every cell resolving) live in policy_checks.py and run
from `Policy`'s model validator, so a `Policy` that exists is always a usable one.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    StringConstraints,
    model_validator,
)

from features.documents.evidence import DOCUMENT_KINDS
from service.domain.policy_checks import check_policy
from service.domain.policy_errors import PolicyError
from service.domain.stripe_vocab import CAPABILITY_NAMES, REJECT_REASONS, RETIRED_REJECT_REASONS

Tier = Literal["standard", "enhanced", "manual_review"]
MccGroup = Literal["low", "medium", "high", "very_high", "unknown"]
MetadataKey = Literal["risk_score", "risk_band", "risk_tier", "risk_model", "risk_decided_at"]
MIRRORED_METADATA: tuple[MetadataKey, ...] = (
    "risk_score",
    "risk_band",
    "risk_tier",
    "risk_model",
    "risk_decided_at",
)
COLLECTABLE_DOCUMENTS: tuple[str, ...] = tuple(k for k in DOCUMENT_KINDS if k != "unknown")

Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Days = Annotated[StrictInt, Field(ge=0)]


def _score(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ValueError("must be a number between 0 and 1")
    return float(value)


def _delay_days(value: object) -> int | str:
    if value == "minimum" or (
        isinstance(value, int) and not isinstance(value, bool) and value >= 0
    ):
        return value
    raise ValueError("must be a whole number of days (>= 0) or 'minimum'")


def _suggest(value: str, choices: frozenset[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value, sorted(choices), n=3)
    return f"; did you mean {', '.join(close)}?" if close else ""


def _capability(value: str) -> str:
    if value not in CAPABILITY_NAMES:
        raise ValueError(f"unknown capability {value!r}{_suggest(value, CAPABILITY_NAMES)}")
    return value


def _reject_reason(value: str) -> str:
    if value in RETIRED_REJECT_REASONS:
        raise ValueError(
            f"reason {value!r} was retired in API version 2026-10-28.endive (Stripe answers 400); "
            f"use {RETIRED_REJECT_REASONS[value]!r}"
        )
    if value not in REJECT_REASONS:
        raise ValueError(f"reason must be one of {', '.join(REJECT_REASONS)}")
    return value


def _document(value: str) -> str:
    if value not in COLLECTABLE_DOCUMENTS:
        raise ValueError(
            f"unknown document kind {value!r}; one of {', '.join(COLLECTABLE_DOCUMENTS)}"
        )
    return value


Score = Annotated[float, BeforeValidator(_score), Field(ge=0, le=1)]
DelayDays = Annotated[int | str, PlainValidator(_delay_days)]
CapabilityName = Annotated[str, AfterValidator(_capability)]
RejectReason = Annotated[str, AfterValidator(_reject_reason)]
DocumentKind = Annotated[str, AfterValidator(_document)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Band(_Model):
    """A risk band: scores from `min_score` up to the next band's `min_score`."""

    name: Name
    min_score: Score


class SegmentMatch(_Model):
    """Account attributes a segment requires; an empty match accepts every account."""

    countries: tuple[CountryCode, ...] = ()
    regions: tuple[Name, ...] = ()
    business_types: tuple[
        Literal["company", "government_entity", "individual", "non_profit", "unknown"], ...
    ] = ()
    mcc_groups: tuple[MccGroup, ...] = ()
    account_types: tuple[Literal["custom", "express", "standard", "none"], ...] = ()
    min_account_age_days: Days | None = None
    max_account_age_days: Days | None = None

    @property
    def is_catch_all(self) -> bool:
        """Whether this match accepts every account."""
        return self == SegmentMatch()


class Segment(_Model):
    """A named group of accounts; the first segment whose match accepts an account wins."""

    name: Name
    match: SegmentMatch = SegmentMatch()


class PayoutSchedule(_Model):
    """`settings.payouts.schedule` as Stripe takes it; `manual` holds funds until released."""

    interval: Literal["daily", "manual", "monthly", "weekly"]
    delay_days: DelayDays | None = None
    weekly_anchor: (
        Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] | None
    ) = None
    monthly_anchor: Annotated[StrictInt, Field(ge=1, le=31)] | None = None

    @model_validator(mode="after")
    def _anchors_fit_interval(self) -> PayoutSchedule:
        if self.interval == "weekly" and self.weekly_anchor is None:
            raise ValueError("interval 'weekly' needs weekly_anchor (e.g. monday)")
        if self.interval == "monthly" and self.monthly_anchor is None:
            raise ValueError("interval 'monthly' needs monthly_anchor (1-31)")
        if self.interval != "weekly" and self.weekly_anchor is not None:
            raise ValueError(
                f"weekly_anchor only applies to interval 'weekly', not {self.interval!r}"
            )
        if self.interval != "monthly" and self.monthly_anchor is not None:
            raise ValueError(
                f"monthly_anchor only applies to interval 'monthly', not {self.interval!r}"
            )
        if self.interval == "manual" and self.delay_days is not None:
            raise ValueError(
                "interval 'manual' holds payouts; Stripe keeps the last delay_days, leave it out"
            )
        return self

    def stripe_params(self) -> dict[str, Any]:
        """The exact `schedule` hash to send; an unset delay means Stripe's `minimum`."""
        params: dict[str, Any] = {"interval": self.interval}
        if self.interval != "manual":
            params["delay_days"] = "minimum" if self.delay_days is None else self.delay_days
        if self.weekly_anchor is not None:
            params["weekly_anchor"] = self.weekly_anchor
        if self.monthly_anchor is not None:
            params["monthly_anchor"] = self.monthly_anchor
        return params


class CapabilityChanges(_Model):
    """Capabilities to request and to un-request (names from the pinned API version)."""

    request: tuple[CapabilityName, ...] = ()
    unrequest: tuple[CapabilityName, ...] = ()

    @model_validator(mode="after")
    def _disjoint(self) -> CapabilityChanges:
        both = sorted(set(self.request) & set(self.unrequest))
        if both:
            raise ValueError(f"both requested and un-requested: {', '.join(both)}")
        return self


class RejectSpec(_Model):
    """Reject the account (top band only); by default only once an analyst confirms."""

    reason: RejectReason
    requires_review: StrictBool = True


class CellSpec(_Model):
    """Actions for one band, as a default or as a segment's override (unset fields inherit).

    An explicit `null` for capabilities, documents_to_collect or reject means "none here".
    """

    payout_schedule: PayoutSchedule | None = None
    capabilities: CapabilityChanges | None = None
    tier: Tier | None = None
    documents_to_collect: tuple[DocumentKind, ...] | None = None
    reject: RejectSpec | None = None


class ActionsTable(_Model):
    """Per-band defaults and per-segment, per-band overrides."""

    defaults: dict[Name, CellSpec] = {}
    segments: dict[Name, dict[Name, CellSpec]] = {}


class Policy(_Model):
    """A validated risk policy; construct with `Policy.model_validate(data)` or policy_yaml."""

    version: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    bands: Annotated[tuple[Band, ...], Field(min_length=1)]
    regions: dict[Name, tuple[CountryCode, ...]] = {}
    segments: Annotated[tuple[Segment, ...], Field(min_length=1)]
    actions: ActionsTable
    minimum_delay_days: dict[str, Days] = {"default": 7}
    mirror_metadata: tuple[MetadataKey, ...] = MIRRORED_METADATA

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        issues = check_policy(self)
        if issues:
            raise PolicyError(issues)
        return self

    @cached_property
    def policy_hash(self) -> str:
        """First 12 hex of sha256 over the canonical JSON of the content (key order ignored).
        Computed once: the policy is frozen, and every decision names it."""
        canonical = json.dumps(
            self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=True
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]

    @property
    def top_band(self) -> str:
        """The name of the highest band (the only one that may reject)."""
        return self.bands[-1].name
