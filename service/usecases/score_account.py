"""Score one account now: features from its stored evidence, the champion's score, the
policy's decision (planned, never sent), all appended to the audit trail.

The request path is kept lean (figures in docs/benchmarks.md): an account the service has
never seen costs one read before its score, its transactions reach the feature code as plain
records, and the model is the compiled one-row scorer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from features import NetworkIndex, compute, spec_of
from features.documents import DocumentEvidence
from service.db.base import new_id, utcnow
from service.db.repositories.accounts import account_exists, get_account, record_account_state
from service.db.repositories.actions import unsettled_settings
from service.db.repositories.decisions import (
    RETROSPECTIVE,
    NewDecision,
    bands_since,
    record_decision,
)
from service.db.repositories.evidence import list_documents, transaction_records
from service.domain.actions import PlannedAction
from service.domain.decision import decide
from service.domain.facts import facts_from_account
from service.domain.policy_model import Policy
from service.domain.review_rules import analyst_override, stand_by_analyst
from service.errors import InvalidInput, UnknownAccount
from service.events.digest import score_input_digest
from service.scoring.champion import LoadedModel
from service.usecases.review_queue import latest_analyst_resolution
from service.usecases.store_actions import store_actions

TOP_REASONS = 3
# How far a caller's clock may run ahead of ours: a later `as_of` is refused, an earlier one
# than this before now makes a retrospective score.
CLOCK_SKEW = dt.timedelta(minutes=5)
_EVIDENCE_FIELDS = frozenset(field.name for field in dataclasses.fields(DocumentEvidence))


@dataclass(frozen=True)
class Reason:
    """A feature that pushed the score up: its value, margin contribution and meaning."""

    feature: str
    value: float | None
    contribution: float
    description: str


@dataclass(frozen=True)
class ScoreOutcome:
    """The recorded decision as the caller sees it."""

    decision_id: str
    account_id: str
    as_of: dt.datetime
    score: float
    band: str
    segment: str
    tier: str
    reasons: tuple[Reason, ...]
    model_version: str
    policy_version: str
    actions: tuple[PlannedAction, ...]
    documents_to_collect: tuple[str, ...]


@dataclass(frozen=True)
class _Inputs:
    account: Mapping[str, Any]
    known: bool  # whether anything of the account was stored before this request
    evidence: tuple[DocumentEvidence, ...]
    transactions: tuple[Mapping[str, Any], ...]
    transaction_ids: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """A scored account before anything is written: the outcome and the rows it records."""

    outcome: ScoreOutcome
    decision: NewDecision
    inline_state: Mapping[str, Any] | None  # an inline Account to keep as the latest state
    # When the inline Account was the account's state: now, or a retrospective score's
    # `as_of`, so that a snapshot from the past never replaces a newer stored state.
    inline_state_at: dt.datetime | None = None


def assess_account(
    *,
    session: Session,
    champion: LoadedModel,
    policy: Policy,
    as_of: dt.datetime,
    account: Mapping[str, Any] | None = None,
    account_id: str | None = None,
    triggered_by: str = "api",
    source_event_id: str | None = None,
    network: NetworkIndex | None = None,
    shadow: LoadedModel | None = None,
    retrospective: bool = False,
) -> Assessment:
    """Features, score, reasons and the policy's decision for an account; reads only.

    Link features come from `network` (the service's latest index of who shares which card,
    customer, bank account or document); without one they are NaN. An analyst's resolution
    that still stands (same band, see `review_rules`) turns every action into a recorded
    no-op. A `shadow` model (the challenger) scores the same features and is recorded beside
    the decision, never acted on. Raises UnknownAccount (404) for an account id without
    stored Stripe state, InvalidInput (422) for an inline account the policy cannot read.
    Scoring an account is `record_assessment(session, assess_account(...))`: the API holds
    its write turn only around the second.

    A `retrospective` score (an `as_of` in the past, see `is_retrospective`) answers "what
    would the policy have done then": it is recorded with every action a noop, never sent,
    and never becomes the account's latest decision. Its `as_of` must not precede the
    account's creation (InvalidInput). An inline Account sent with it is kept as the state
    the account had at `as_of`: it fills in an account the service does not know, and never
    replaces a newer stored state.
    """
    inline = account is not None
    if account is not None:
        account_id = _inline_id(account)
    elif account_id is not None:
        account = _stored_state(session, account_id)
    else:
        raise InvalidInput("send `account` or `account_id`")
    inputs = _gather(session, account, account_id, as_of)
    vector = compute(
        inputs.account,
        inputs.evidence,
        inputs.transactions,
        int(as_of.timestamp()),
        network=network,
    )
    values = vector.as_dict()
    # The compiled one-row path (service.scoring.fast_path): same score as RiskModel.predict.
    scorer = champion.scorer
    row = scorer.row(values)
    score = scorer.score(row)
    reasons = _reasons(scorer.feature_names, row, scorer.contributions(row))
    decision_id = new_id("dec")
    facts = facts_from_account(account)
    if inputs.known:
        unsettled = unsettled_settings(session=session, account_id=account_id)
        facts = dataclasses.replace(facts, unsettled=unsettled)
    if retrospective and facts.created is not None and as_of < facts.created:
        raise InvalidInput(
            f"as_of is before the account was created ({facts.created.isoformat()})",
            loc=("body", "as_of"),
        )
    decision = decide(decision_id, score, facts, policy, champion.version, as_of)
    actions = decision.actions
    evidence = evidence_digest(inputs.account, inputs.evidence, inputs.transactions)
    if retrospective:
        triggered_by = RETROSPECTIVE
        actions = _never_sent(actions, as_of)
    elif inputs.known:  # a new account has no analyst resolution to respect
        actions = _respect_analyst(session, account_id, decision.band, actions, policy, evidence)
    policy_version = f"{policy.version[:87]}@{policy.policy_hash}"
    record = NewDecision(
        id=decision_id,
        account_id=account_id,
        as_of=as_of,
        triggered_by=triggered_by,
        source_event_id=source_event_id,
        inputs_digest=inputs_digest(inputs.account, inputs.evidence, inputs.transaction_ids),
        features={name: _json_number(value) for name, value in values.items()},
        score=score,
        band=decision.band,
        segment=decision.segment,
        reasons=[dataclasses.asdict(reason) for reason in reasons],
        model_version=champion.version,
        policy_version=policy_version,
        shadow_score=_shadow_score(shadow, values),
        shadow_model_version=shadow.version if shadow is not None else None,
        tier=decision.tier,
        documents_to_collect=decision.documents_to_collect,
        evidence_digest=evidence,
    )
    outcome = ScoreOutcome(
        decision_id=decision_id,
        account_id=account_id,
        as_of=as_of,
        score=score,
        band=decision.band,
        segment=decision.segment,
        tier=decision.tier,
        reasons=reasons,
        model_version=champion.version,
        policy_version=policy_version,
        actions=actions,
        documents_to_collect=decision.documents_to_collect,
    )
    return Assessment(
        outcome=outcome,
        decision=record,
        inline_state=account if inline else None,
        inline_state_at=as_of if retrospective else None,
    )


def record_assessment(session: Session, assessment: Assessment) -> ScoreOutcome:
    """Write an assessment: the inline account's state, the decision, its actions (and review).

    Every write of a score happens here, after the features and the model: on SQLite the
    first write takes the database's one write lock, held until the caller commits.
    """
    outcome = assessment.outcome
    if assessment.inline_state is not None:
        record_account_state(
            session=session,
            account_id=outcome.account_id,
            state=dict(assessment.inline_state),
            as_of=assessment.inline_state_at or utcnow(),
            inline=True,
        )
    record_decision(session=session, decision=assessment.decision)
    store_actions(session, outcome.decision_id, outcome.account_id, outcome.actions)
    return outcome


def current_instant(now: dt.datetime) -> dt.datetime:
    """The `as_of` of a score asked for `now`: the end of the current second.

    Stripe stamps events and money movements in whole seconds, and features see only what is
    strictly before `as_of`; a dispute stamped this second must count in the rescore its own
    webhook triggers.
    """
    return now.replace(microsecond=0) + dt.timedelta(seconds=1)


def is_retrospective(as_of: dt.datetime, now: dt.datetime) -> bool:
    """Whether a score asked for at `as_of` looks back: more than CLOCK_SKEW before `now`."""
    return as_of < now - CLOCK_SKEW


def inputs_digest(
    account: Mapping[str, Any], evidence: Sequence[DocumentEvidence], transaction_ids: Sequence[str]
) -> str:
    """sha256 over the canonical account JSON, the documents' hashes and the transaction ids
    considered: the same inputs always give the same digest, whatever their order."""
    canonical = json.dumps(
        {
            "account": account,
            "documents": sorted(document.sha256 for document in evidence),
            "transactions": sorted(transaction_ids),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def evidence_digest(
    account: Mapping[str, Any],
    evidence: Sequence[DocumentEvidence],
    transactions: Sequence[Mapping[str, Any]],
) -> str:
    """sha256 over what the account's score is evidence of: its Stripe state without what the
    service itself writes onto it (`events.digest`), its documents and its money movements
    with their statuses. Unlike `inputs_digest` it ignores the service's own writes, so an
    analyst's resolution is not undone by the hold it caused."""
    canonical = json.dumps(
        {
            "account": score_input_digest(account),
            "documents": sorted(document.sha256 for document in evidence),
            "transactions": sorted(f"{row.get('id')}:{row.get('status')}" for row in transactions),
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _inline_id(account: Mapping[str, Any]) -> str:
    account_id = account.get("id")
    if not isinstance(account_id, str) or not account_id:
        raise InvalidInput("the Account object needs a string `id`")
    return account_id


def _stored_state(session: Session, account_id: str) -> Mapping[str, Any]:
    stored = get_account(session=session, account_id=account_id)
    if stored is None or stored.stripe_state is None:
        raise UnknownAccount(f"no Stripe state is stored for account {account_id}")
    return stored.stripe_state


def _gather(
    session: Session, account: Mapping[str, Any], account_id: str, as_of: dt.datetime
) -> _Inputs:
    if not account_exists(session=session, account_id=account_id):
        # A first score (onboarding): nothing can be stored yet, so nothing more is read.
        return _Inputs(
            account=account, known=False, evidence=(), transactions=(), transaction_ids=()
        )
    documents = [
        document
        for document in list_documents(session=session, account_id=account_id)
        if _aware(document.received_at) <= as_of
    ]
    evidence = tuple(
        DocumentEvidence(**{k: v for k, v in doc.evidence.items() if k in _EVIDENCE_FIELDS})
        for doc in documents
        if doc.evidence
    )
    records = transaction_records(
        session=session, account_id=account_id, before=int(as_of.timestamp())
    )
    return _Inputs(
        account=account,
        known=True,
        evidence=evidence,
        transactions=tuple(records),
        transaction_ids=tuple(record["id"] for record in records),
    )


def _reasons(
    names: Sequence[str], values: np.ndarray, contributions: np.ndarray
) -> tuple[Reason, ...]:
    order = np.argsort(-contributions, kind="stable")[:TOP_REASONS]
    return tuple(
        Reason(
            feature=names[j],
            value=_json_number(float(values[j])),
            contribution=float(contributions[j]),
            description=reason_description(names[j], observed=not math.isnan(values[j])),
        )
        for j in order
        if contributions[j] > 0
    )


def reason_description(name: str, *, observed: bool = True) -> str:
    """How a reason reads: the feature's registry description, or that it was not known."""
    try:
        description = spec_of(name).description
    except KeyError:
        description = name
    # A missing value can push the score up (the trees send it down their default branch);
    # the reason is then that nothing was known, not what the feature would have said.
    return description if observed else f"Not known: {description}"


def _json_number(value: float) -> float | None:
    # NaN means "not observed"; JSON (and PostgreSQL's jsonb) has no NaN, so it is stored null.
    return None if math.isnan(value) else value


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _respect_analyst(
    session: Session,
    account_id: str,
    band: str,
    actions: Sequence[PlannedAction],
    policy: Policy,
    evidence: str,
) -> tuple[PlannedAction, ...]:
    resolution = latest_analyst_resolution(session=session, account_id=account_id)
    if resolution is None:
        return tuple(actions)
    bands = [known.name for known in policy.bands]
    since = bands_since(session=session, account_id=account_id, since=resolution.resolved_at)
    if not analyst_override(resolution, band, bands, since, evidence):
        return tuple(actions)
    return stand_by_analyst(actions, resolution, band)


def _never_sent(actions: Sequence[PlannedAction], as_of: dt.datetime) -> tuple[PlannedAction, ...]:
    when = as_of.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    reason = f"retrospective score as of {when}: recorded, never sent"
    return tuple(dataclasses.replace(action, status="noop", reason=reason) for action in actions)


def _shadow_score(shadow: LoadedModel | None, values: Mapping[str, float]) -> float | None:
    if shadow is None:
        return None
    return shadow.scorer.score(shadow.scorer.row(values))
