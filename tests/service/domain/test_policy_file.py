"""Loading policy YAML: the default policy is valid, and each broken file names the right line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from service.domain.cells import CellActions, resolve_cell
from service.domain.policy_errors import PolicyError
from service.domain.policy_model import Policy
from service.domain.policy_yaml import load_configured_policy, load_policy, parse_policy


@dataclass(frozen=True)
class Breakage:
    """Replace `old` by `new` in the default policy; the error must point at `marker`'s line."""

    old: str
    new: str
    marker: str
    path: str
    message: str


def _line(text: str, marker: str) -> int:
    assert text.count(marker) >= 1, marker
    return text[: text.index(marker)].count("\n") + 1


def _break(text: str, breakage: Breakage) -> str:
    assert breakage.old in text, breakage.old
    return text.replace(breakage.old, breakage.new, 1)


BREAKAGES = {
    "retired fraud reason": Breakage(
        "reason: fraud_other", "reason: fraud", "reason: fraud", "reject.reason", "fraud_other"
    ),
    "unknown reject reason": Breakage(
        "reason: fraud_other", "reason: scam", "reason: scam", "reject.reason", "one of"
    ),
    "bands out of order": Breakage(
        "{name: high, min_score: 0.2}",
        "{name: high, min_score: 0.01}",
        "{name: high",
        "bands[2].min_score",
        "greater than band 'medium'",
    ),
    "first band not at zero": Breakage(
        "{name: low, min_score: 0.0}",
        "{name: low, min_score: 0.01}",
        "{name: low",
        "bands[0].min_score",
        "start at min_score 0",
    ),
    "score above one": Breakage(
        "min_score: 0.5}", "min_score: 1.5}", "min_score: 1.5", "bands[3].min_score", "less than"
    ),
    "score as text": Breakage(
        "min_score: 0.05}", "min_score: '0.05'}", "'0.05'", "bands[1].min_score", "number"
    ),
    "bad interval": Breakage(
        "{interval: daily, delay_days: minimum}",
        "{interval: hourly, delay_days: minimum}",
        "hourly",
        "payout_schedule.interval",
        "'weekly'",
    ),
    "bad delay": Breakage(
        "delay_days: 7}", "delay_days: soon}", "soon", "payout_schedule.delay_days", "minimum"
    ),
    "weekly without anchor": Breakage(
        "{interval: weekly, weekly_anchor: monday, delay_days: 7}",
        "{interval: weekly, delay_days: 7}",
        "{interval: weekly, delay_days",
        "payout_schedule",
        "weekly_anchor",
    ),
    "bad weekly anchor": Breakage(
        "weekly_anchor: monday", "weekly_anchor: mon", "anchor: mon,", "weekly_anchor", "monday"
    ),
    "manual with delay": Breakage(
        "{interval: manual}",
        "{interval: manual, delay_days: 3}",
        "{interval: manual, delay",
        "payout_schedule",
        "manual",
    ),
    "unknown capability": Breakage(
        "unrequest: [card_payments]",
        "unrequest: [card_payment]",
        "[card_payment]",
        "capabilities.unrequest[0]",
        "did you mean card_payments",
    ),
    "unknown field": Breakage(
        "      tier: standard\n",
        "      tier: standard\n      colour: red\n",
        "colour: red",
        "actions.defaults.low.colour",
        "unknown field",
    ),
    "missing field": Breakage(
        "{name: low, min_score: 0.0}",
        "{name: low}",
        "{name: low}",
        "bands[0].min_score",
        "missing",
    ),
    "unknown region": Breakage(
        "regions: [eu]", "regions: [europe]", "[europe]", "match.regions[0]", "unknown region"
    ),
    "unknown document": Breakage(
        "[bank_statement, tax_id_letter]",
        "[bank_statement, passport]",
        "passport",
        "documents_to_collect[1]",
        "unknown document kind",
    ),
    "duplicate key": Breakage(
        "  JP: 4\n", "  JP: 4\n  US: 3\n", "  US: 3", "minimum_delay_days.US", "duplicate key"
    ),
    "duplicate band": Breakage(
        "{name: medium, min_score: 0.05}",
        "{name: low, min_score: 0.05}",
        "{name: low, min_score: 0.05}",
        "bands[1].name",
        "duplicate band",
    ),
    "reject below the top band": Breakage(
        "    medium:\n      payout_schedule: {interval: weekly",
        "    medium:\n      reject: {reason: other}\n      payout_schedule: {interval: weekly",
        "reject: {reason: other}",
        "actions.defaults.medium.reject",
        "only allowed in the top band",
    ),
    "override of an unknown segment": Breakage(
        "    eu:\n      high:",
        "    europe:\n      high:",
        "    europe:",
        "actions.segments.europe",
        "unknown segment",
    ),
    "override of an unknown band": Breakage(
        "    eu:\n      high:",
        "    eu:\n      extreme:",
        "extreme:",
        "actions.segments.eu.extreme",
        "unknown band",
    ),
    "no catch-all last": Breakage(
        "  - name: default\n", "", "  - name: eu", "segments[2]", "must match every account"
    ),
    "catch-all too early": Breakage(
        "  - name: us_company\n    match:\n      countries: [US]\n"
        "      business_types: [company]\n",
        "  - name: us_company\n",
        "  - name: us_company",
        "segments[1]",
        "can never match",
    ),
    "enhanced without documents": Breakage(
        "      tier: enhanced\n      documents_to_collect: [bank_statement, proof_of_address]\n"
        "    severe:",
        "      tier: enhanced\n    severe:",
        "    high:\n      payout_schedule: {interval: manual}\n      tier: enhanced",
        "actions.defaults.high",
        "needs documents_to_collect",
    ),
    "age bounds reversed": Breakage(
        "max_account_age_days: 90",
        "max_account_age_days: 90\n      min_account_age_days: 120",
        "max_account_age_days: 90",
        "max_account_age_days",
        ">= min_account_age_days",
    ),
    "country not ISO": Breakage(
        "countries: [US]", "countries: [usa]", "[usa]", "countries[0]", "pattern"
    ),
    "invalid YAML": Breakage(
        "  eu: [AT, BE,", "  eu: [AT, BE,:", "  eu: [AT", "", "not valid YAML"
    ),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_broken_policy_names_the_line(name: str, policy_text: str) -> None:
    breakage = BREAKAGES[name]
    text = _break(policy_text, breakage)
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "broken.yaml")
    issue = caught.value.issues[0]
    assert issue.line == _line(text, breakage.marker), caught.value.report()
    assert breakage.path in issue.path
    assert breakage.message in issue.message
    assert caught.value.report().startswith(f"broken.yaml:{issue.line}: ")


def test_missing_cell_field_is_reported_for_the_band(policy_text: str) -> None:
    text = policy_text.replace(
        "    low:\n      payout_schedule: {interval: daily, delay_days: minimum}\n", "    low:\n"
    )
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "p.yaml")
    messages = [issue.message for issue in caught.value.issues]
    assert any("band 'low' has no payout_schedule" in m and "us_company" in m for m in messages)
    # new_high_risk_mcc overrides the low schedule, so it is the one segment not reported
    assert all("new_high_risk_mcc" not in m for m in messages)


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text\n"])
def test_a_policy_must_be_a_mapping(text: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "p.yaml")
    assert caught.value.issues[0].line == 1
    assert "must be a mapping" in caught.value.issues[0].message


def test_every_problem_is_reported_at_once(policy_text: str) -> None:
    text = policy_text.replace("reason: fraud_other", "reason: fraud").replace(
        "weekly_anchor: monday", "weekly_anchor: someday"
    )
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "p.yaml")
    assert len(caught.value.issues) >= 3
    lines = [issue.line for issue in caught.value.issues]
    assert lines == sorted(lines)


def test_default_policy_resolves_every_segment_and_band(default_policy: Policy) -> None:
    for segment in default_policy.segments:
        for band in default_policy.bands:
            cell = resolve_cell(default_policy.actions, segment.name, band.name)
            assert isinstance(cell, CellActions), (segment.name, band.name, cell)
            assert (cell.reject is not None) == (band.name == default_policy.top_band)
            assert cell.reject is None or cell.reject.requires_review


def test_default_policy_tightens_with_the_band(default_policy: Policy) -> None:
    """Within each segment, a higher band never gets a looser payout schedule or tier."""
    looseness = {"daily": 0, "weekly": 1, "monthly": 2, "manual": 3}
    tiers = {"standard": 0, "enhanced": 1, "manual_review": 2}
    for segment in default_policy.segments:
        cells = [
            resolve_cell(default_policy.actions, segment.name, b.name) for b in default_policy.bands
        ]
        ranks = [
            (looseness[c.payout_schedule.interval], tiers[c.tier])  # type: ignore[union-attr]
            for c in cells
        ]
        assert [r[0] for r in ranks] == sorted(r[0] for r in ranks), segment.name
        assert [r[1] for r in ranks] == sorted(r[1] for r in ranks), segment.name


def test_hash_ignores_key_order_and_formatting(policy_text: str, default_policy: Policy) -> None:
    data = yaml.safe_load(policy_text)

    def reverse(value: object) -> object:
        if isinstance(value, dict):
            return {k: reverse(value[k]) for k in reversed(list(value))}
        if isinstance(value, list):
            return [reverse(v) for v in value]
        return value

    reordered = yaml.safe_dump(reverse(data), sort_keys=False, default_flow_style=False)
    assert reordered != policy_text
    assert parse_policy(reordered).policy_hash == default_policy.policy_hash


def test_hash_changes_with_content(policy_text: str, default_policy: Policy) -> None:
    changed = parse_policy(policy_text.replace("delay_days: 7}", "delay_days: 8}", 1))
    relabelled = parse_policy(policy_text.replace("version: ", "version: x", 1))
    hashes = {default_policy.policy_hash, changed.policy_hash, relabelled.policy_hash}
    assert len(hashes) == 3
    assert all(len(h) == 12 and int(h, 16) >= 0 for h in hashes)


def test_list_order_is_content(policy_text: str, default_policy: Policy) -> None:
    """Segment order decides matches, so reordering segments must change the hash."""
    data = yaml.safe_load(policy_text)
    data["segments"][1], data["segments"][2] = data["segments"][2], data["segments"][1]
    assert Policy.model_validate(data).policy_hash != default_policy.policy_hash


def test_load_policy_reads_a_file_and_names_it(tmp_path: Path, policy_text: str) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(policy_text, encoding="utf-8")
    assert load_policy(good).version == "marketplace-default-1"
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"version: \xff\n")
    with pytest.raises(PolicyError) as caught:
        load_policy(bad)
    assert caught.value.report().startswith(f"{bad}:1: ")


def test_model_validate_runs_the_cross_field_checks(policy_text: str) -> None:
    data = yaml.safe_load(policy_text)
    data["segments"].pop()
    with pytest.raises(PolicyError, match="must match every account"):
        Policy.model_validate(data)


def test_explicit_null_in_an_override_removes_the_inherited_value(policy_text: str) -> None:
    text = policy_text.replace(
        "    eu:\n      high:",
        "    eu:\n      severe:\n        reject: null\n        capabilities: null\n      high:",
    )
    policy = parse_policy(text)
    eu = resolve_cell(policy.actions, "eu", "severe")
    default = resolve_cell(policy.actions, "default", "severe")
    assert isinstance(eu, CellActions) and isinstance(default, CellActions)
    assert (eu.reject, eu.unrequest) == (None, ())
    assert default.reject is not None and default.unrequest == ("card_payments",)
    assert eu.payout_schedule == default.payout_schedule  # the rest is still inherited


def test_alias_bombs_and_deep_nesting_are_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdef":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 10) + "]\n"
    with pytest.raises(PolicyError, match="expands to over"):
        parse_policy(bomb)
    with pytest.raises(PolicyError, match="expands to over"):
        parse_policy("a: &a [*a]\n")
    with pytest.raises(PolicyError, match="nested too deeply"):
        parse_policy("a: " + "[" * 600 + "]" * 600 + "\n")


def test_anchors_and_merge_keys_are_fine(policy_text: str, default_policy: Policy) -> None:
    text = policy_text.replace(
        "    high:\n      payout_schedule: {interval: manual}\n      tier: enhanced",
        "    high:\n      payout_schedule: &hold {interval: manual}\n      tier: enhanced",
    ).replace(
        "    severe:\n      payout_schedule: {interval: manual}",
        "    severe:\n      payout_schedule: *hold",
    )
    assert "*hold" in text
    assert parse_policy(text).policy_hash == default_policy.policy_hash


def test_configured_policy_falls_back_to_the_default(tmp_path: Path, policy_text: str) -> None:
    assert load_configured_policy(None).version == "marketplace-default-1"
    custom = tmp_path / "custom.yaml"
    custom.write_text(policy_text.replace("version: marketplace-default-1", "version: ours"))
    assert load_configured_policy(custom).version == "ours"
