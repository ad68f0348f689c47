"""The scoring use case against a policy that puts every score in the top band: a rejection
that waits for an analyst is kept, but never as `planned`."""

from __future__ import annotations

import datetime as dt

from scoring_support import stripe_account

from service.db.models import ActionStatus
from service.db.repositories.actions import actions_for_decision
from service.domain.policy_yaml import default_policy_text, parse_policy
from service.scoring.champion import LoadedModel
from service.usecases.score_account import inputs_digest, score_account

LOW_BANDS = {
    "{name: medium, min_score: 0.05}": "{name: medium, min_score: 0.000001}",
    "{name: high, min_score: 0.2}": "{name: high, min_score: 0.000002}",
    "{name: severe, min_score: 0.5}": "{name: severe, min_score: 0.000003}",
}


def test_a_rejection_awaiting_review_is_stored_skipped(database, champion_model, model_store):
    text = default_policy_text()
    for old, new in LOW_BANDS.items():
        assert old in text
        text = text.replace(old, new)
    policy = parse_policy(text)
    champion = LoadedModel(
        model=champion_model,
        version=f"provider-risk/{model_store.version}",
        number=model_store.version,
    )
    with database.session() as session:
        outcome = score_account(
            session=session,
            champion=champion,
            policy=policy,
            as_of=dt.datetime.now(dt.UTC),
            account=stripe_account(),
        )
        session.commit()
        stored = {
            action.idempotency_key: action
            for action in actions_for_decision(session=session, decision_id=outcome.decision_id)
        }
    assert outcome.band == "severe"
    waiting = [action for action in outcome.actions if action.status == "awaiting_review"]
    assert [action.kind for action in waiting] == ["reject"]
    for action in outcome.actions:
        kept = stored[action.idempotency_key]
        expected = ActionStatus.PLANNED if action.status == "planned" else ActionStatus.SKIPPED
        assert kept.status == expected
    assert stored[waiting[0].idempotency_key].error.startswith("awaiting_review")


def test_the_digest_ignores_the_order_of_evidence_and_transactions():
    account = stripe_account()
    assert inputs_digest(account, (), ["tx_b", "tx_a"]) == inputs_digest(
        account, (), ["tx_a", "tx_b"]
    )
    assert inputs_digest(account, (), ["tx_a"]) != inputs_digest(account, (), ["tx_a", "tx_b"])
