"""Cross-field rules of a policy: band order, names and references, and every cell resolving.

Each problem is a PolicyIssue whose loc is the path of the offending YAML node, so the loader can
name its line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from service.domain.cells import CellActions, resolve_cell
from service.domain.policy_errors import Loc, PolicyIssue

if TYPE_CHECKING:
    from service.domain.policy_model import ActionsTable, CellSpec, Policy

_COUNTRY = re.compile(r"^[A-Z]{2}$")


def check_policy(policy: Policy) -> list[PolicyIssue]:
    """Every cross-field problem of an otherwise well-typed policy (empty when usable)."""
    issues = _check_bands(policy) + _check_segments(policy) + _check_references(policy)
    issues += _check_minimum_delays(policy)
    if not issues:  # cells can only be judged once names and references hold
        issues += _check_cells(policy)
    return issues


def _check_bands(policy: Policy) -> list[PolicyIssue]:
    issues = _duplicates([band.name for band in policy.bands], "bands", "band")
    if policy.bands[0].min_score != 0:
        issues.append(
            PolicyIssue(("bands", 0, "min_score"), "the first band must start at min_score 0")
        )
    for index in range(1, len(policy.bands)):
        low, high = policy.bands[index - 1], policy.bands[index]
        if high.min_score <= low.min_score:
            issues.append(
                PolicyIssue(
                    ("bands", index, "min_score"),
                    f"must be greater than band {low.name!r}'s min_score {low.min_score}; "
                    "bands are listed from lowest to highest score",
                )
            )
    return issues


def _check_segments(policy: Policy) -> list[PolicyIssue]:
    segments = policy.segments
    issues = _duplicates([segment.name for segment in segments], "segments", "segment")
    for index, segment in enumerate(segments):
        match = segment.match
        for position, region in enumerate(match.regions):
            if region not in policy.regions:
                issues.append(
                    PolicyIssue(
                        ("segments", index, "match", "regions", position),
                        f"unknown region {region!r}; define it under `regions:`",
                    )
                )
        low, high = match.min_account_age_days, match.max_account_age_days
        if low is not None and high is not None and low > high:
            issues.append(
                PolicyIssue(
                    ("segments", index, "match", "max_account_age_days"),
                    f"must be >= min_account_age_days ({low})",
                )
            )
        if match.is_catch_all and index < len(segments) - 1:
            later = ", ".join(s.name for s in segments[index + 1 :])
            issues.append(
                PolicyIssue(
                    ("segments", index),
                    f"segment {segment.name!r} matches every account, so later segments "
                    f"({later}) can never match; put the catch-all last",
                )
            )
    if not segments[-1].match.is_catch_all:
        issues.append(
            PolicyIssue(
                ("segments", len(segments) - 1),
                "the last segment must match every account (no `match`), so every account "
                "has a segment",
            )
        )
    return issues


def _check_references(policy: Policy) -> list[PolicyIssue]:
    bands = {band.name for band in policy.bands}
    segments = {segment.name for segment in policy.segments}
    actions = policy.actions
    issues: list[PolicyIssue] = []
    cells: list[tuple[Loc, str]] = [(("actions", "defaults", b), b) for b in actions.defaults]
    for segment, overrides in actions.segments.items():
        if segment not in segments:
            issues.append(
                PolicyIssue(("actions", "segments", segment), f"unknown segment {segment!r}")
            )
        cells += [(("actions", "segments", segment, band), band) for band in overrides]
    for loc, band in cells:
        if band not in bands:
            issues.append(PolicyIssue(loc, f"unknown band {band!r}; bands: {sorted(bands)}"))
        elif band != policy.top_band and _spec_at(actions, loc).reject is not None:
            issues.append(
                PolicyIssue(
                    (*loc, "reject"),
                    f"rejection is only allowed in the top band ({policy.top_band!r})",
                )
            )
    return issues


def _check_minimum_delays(policy: Policy) -> list[PolicyIssue]:
    issues = [
        PolicyIssue(("minimum_delay_days", key), "keys are ISO country codes (e.g. US) or default")
        for key in policy.minimum_delay_days
        if key != "default" and not _COUNTRY.match(key)
    ]
    if "default" not in policy.minimum_delay_days:
        issues.append(
            PolicyIssue(("minimum_delay_days",), "needs a `default` for countries not listed")
        )
    return issues


def _check_cells(policy: Policy) -> list[PolicyIssue]:
    actions = policy.actions
    missing: dict[tuple[str, str], list[str]] = defaultdict(list)
    issues: list[PolicyIssue] = []
    for band in (b.name for b in policy.bands):
        for segment in (s.name for s in policy.segments):
            cell = resolve_cell(actions, segment, band)
            if isinstance(cell, list):
                for field in cell:
                    missing[(band, field)].append(segment)
                continue
            problem = _tier_problem(cell)
            if problem:
                loc = _cell_loc(actions, segment, band)
                issues.append(PolicyIssue(loc, f"segment {segment!r}, band {band!r}: {problem}"))
    for (band, field), segments in missing.items():
        loc = ("actions", "defaults", band) if band in actions.defaults else ("actions",)
        issues.append(
            PolicyIssue(
                loc,
                f"band {band!r} has no {field} for segment(s) {', '.join(segments)}: set "
                f"actions.defaults.{band}.{field} or actions.segments.<segment>.{band}.{field}",
            )
        )
    return _unique(issues)


def _tier_problem(cell: CellActions) -> str | None:
    if cell.tier == "enhanced" and not cell.documents_to_collect:
        return "tier 'enhanced' needs documents_to_collect"
    if cell.tier == "standard" and cell.documents_to_collect:
        return "tier 'standard' collects no documents; use tier 'enhanced' to ask for them"
    return None


def _cell_loc(actions: ActionsTable, segment: str, band: str) -> Loc:
    if band in actions.segments.get(segment, {}):
        return ("actions", "segments", segment, band)
    if band in actions.defaults:
        return ("actions", "defaults", band)
    return ("actions",)


def _spec_at(actions: ActionsTable, loc: Loc) -> CellSpec:
    if loc[1] == "defaults":
        return actions.defaults[str(loc[2])]
    return actions.segments[str(loc[2])][str(loc[3])]


def _duplicates(names: list[str], section: str, noun: str) -> list[PolicyIssue]:
    seen: set[str] = set()
    issues = []
    for index, name in enumerate(names):
        if name in seen:
            issues.append(PolicyIssue((section, index, "name"), f"duplicate {noun} {name!r}"))
        seen.add(name)
    return issues


def _unique(issues: list[PolicyIssue]) -> list[PolicyIssue]:
    return list(dict.fromkeys(issues))
