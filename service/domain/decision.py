"""One risk decision for one account: band, segment, tier and planned actions, with provenance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.domain.actions import PlannedAction
from service.domain.bands import decide_band
from service.domain.cells import resolve_cell
from service.domain.facts import AccountFacts
from service.domain.planning import plan_actions
from service.domain.policy_model import Policy, Tier
from service.domain.segments import match_segment


@dataclass(frozen=True)
class Decision:
    """What the policy decided and why; `policy_hash` pins the exact policy content used."""

    decision_id: str
    account_id: str
    score: float
    band: str
    segment: str
    tier: Tier
    documents_to_collect: tuple[str, ...]
    policy_version: str
    policy_hash: str
    model_version: str
    decided_at: datetime
    actions: tuple[PlannedAction, ...]

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict for the audit record."""
        return {
            "decision_id": self.decision_id,
            "account_id": self.account_id,
            "score": self.score,
            "band": self.band,
            "segment": self.segment,
            "tier": self.tier,
            "documents_to_collect": list(self.documents_to_collect),
            "policy_version": self.policy_version,
            "policy_hash": self.policy_hash,
            "model_version": self.model_version,
            "decided_at": self.decided_at.isoformat(),
            "actions": [action.to_record() for action in self.actions],
        }


def decide(
    decision_id: str,
    score: float,
    facts: AccountFacts,
    policy: Policy,
    model_version: str,
    decided_at: datetime,
) -> Decision:
    """Band the score, find the account's segment (aged at `decided_at`) and plan the actions."""
    band = decide_band(score, policy).name
    segment = match_segment(facts, policy, decided_at).name
    cell = resolve_cell(policy.actions, segment, band)
    assert not isinstance(cell, list), "a validated policy resolves every cell"
    actions = plan_actions(
        decision_id, score, band, segment, facts, policy, model_version, decided_at
    )
    return Decision(
        decision_id=decision_id,
        account_id=facts.account_id,
        score=float(score),
        band=band,
        segment=segment,
        tier=cell.tier,
        documents_to_collect=cell.documents_to_collect,
        policy_version=policy.version,
        policy_hash=policy.policy_hash,
        model_version=model_version,
        decided_at=decided_at,
        actions=tuple(actions),
    )
