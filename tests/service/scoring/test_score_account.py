"""The scoring use case against a policy that puts every score in the top band: a rejection
that waits for an analyst is kept, but never as `planned`; the account enters the review queue
once; an analyst's resolution stands against a rescore in the same band."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

from scoring_support import stripe_account
from sqlalchemy import select

from service.db.models import ActionStatus, Review
from service.db.repositories.actions import actions_for_decision
from service.db.repositories.review_claims import claim_review, close_review
from service.db.repositories.reviews import find_open_review
from service.domain.policy_model import Policy
from service.domain.policy_yaml import default_policy_text, parse_policy
from service.scoring.champion import LoadedModel
from service.usecases.review_queue import claim, resolve
from service.usecases.score_account import (
    ScoreOutcome,
    assess_account,
    inputs_digest,
    record_assessment,
)

LOW_BANDS = {
    "{name: medium, min_score: 0.05}": "{name: medium, min_score: 0.000001}",
    "{name: high, min_score: 0.2}": "{name: high, min_score: 0.000002}",
    "{name: severe, min_score: 0.5}": "{name: severe, min_score: 0.000003}",
}


def _severe_policy() -> Policy:
    text = default_policy_text()
    for old, new in LOW_BANDS.items():
        assert old in text
        text = text.replace(old, new)
    return parse_policy(text)


def _champion(champion_model, model_store) -> LoadedModel:
    return LoadedModel(
        model=champion_model,
        version=f"provider-risk/{model_store.version}",
        number=model_store.version,
    )


def _score(database, champion: LoadedModel, policy: Policy, **account) -> ScoreOutcome:
    with database.session() as session:
        assessment = assess_account(
            session=session,
            champion=champion,
            policy=policy,
            as_of=dt.datetime.now(dt.UTC),
            account=stripe_account(**account),
        )
        outcome = record_assessment(session, assessment)
        session.commit()
    return outcome


def _resolve_open_review(database, account_id: str, *, outcome: str, band: str) -> None:
    """An analyst claims the account's open review and resolves it at `band`."""
    with database.session() as session:
        review = find_open_review(session=session, account_id=account_id)
        assert review is not None
        assert claim_review(session=session, review_id=review.id, key_id="key_analyst")
        assert close_review(
            session=session,
            review_id=review.id,
            key_id="key_analyst",
            outcome=outcome,
            note=None,
            band=band,
            resolved_at=dt.datetime.now(dt.UTC),
        )
        session.commit()


def test_a_rejection_awaiting_review_is_stored_skipped(database, champion_model, model_store):
    outcome = _score(database, _champion(champion_model, model_store), _severe_policy())
    with database.session() as session:
        stored = {
            action.idempotency_key: action
            for action in actions_for_decision(session=session, decision_id=outcome.decision_id)
        }
    assert outcome.band == "severe"
    waiting = [action for action in outcome.actions if action.status == "awaiting_review"]
    assert [action.kind for action in waiting] == ["reject"]
    for action in outcome.actions:
        kept = stored[action.idempotency_key]
        if action.kind == "review":
            assert kept.status == ActionStatus.APPLIED
        elif action.status == "planned":
            assert kept.status == ActionStatus.PLANNED
        else:
            assert kept.status == ActionStatus.SKIPPED
    assert stored[waiting[0].idempotency_key].error.startswith("awaiting_review")


def test_the_account_waits_in_the_queue_once_for_its_newest_decision(
    database, champion_model, model_store
):
    champion, policy = _champion(champion_model, model_store), _severe_policy()
    first = _score(database, champion, policy, id="acct_queue_once")
    second = _score(database, champion, policy, id="acct_queue_once")
    with database.session() as session:
        review = find_open_review(session=session, account_id="acct_queue_once")
        kinds = {
            action.kind: action
            for action in actions_for_decision(session=session, decision_id=second.decision_id)
        }
    assert review is not None and review.decision_id == second.decision_id != first.decision_id
    assert kinds["review"].status == ActionStatus.SKIPPED
    assert review.id in (kinds["review"].error or "")


def test_an_analyst_resolution_stands_until_the_band_moves(database, champion_model, model_store):
    champion, policy = _champion(champion_model, model_store), _severe_policy()
    first = _score(database, champion, policy, id="acct_analyst")
    _resolve_open_review(database, "acct_analyst", outcome="approve", band=first.band)
    same_band = _score(database, champion, policy, id="acct_analyst")
    assert same_band.band == first.band
    assert {action.status for action in same_band.actions} == {"noop"}
    assert all("approve" in action.reason for action in same_band.actions)
    with database.session() as session:
        assert find_open_review(session=session, account_id="acct_analyst") is None
        statuses = {
            action.status
            for action in actions_for_decision(session=session, decision_id=same_band.decision_id)
        }
    assert statuses == {ActionStatus.SKIPPED}
    # The analyst approved at `severe`; a policy that bands the same score `high` reopens it.
    lower = parse_policy(
        default_policy_text()
        .replace("{name: medium, min_score: 0.05}", "{name: medium, min_score: 0.000001}")
        .replace("{name: high, min_score: 0.2}", "{name: high, min_score: 0.000002}")
    )
    moved = _score(database, champion, lower, id="acct_analyst")
    assert moved.band == "high" and any(action.status != "noop" for action in moved.actions)
    # Back in `severe` after `high`: a new escalation the analyst never saw, so the policy
    # applies and the account waits for review again.
    again = _score(database, champion, policy, id="acct_analyst")
    assert again.band == "severe"
    assert not any("approve" in action.reason for action in again.actions)
    assert [a.status for a in again.actions if a.kind == "reject"] == ["awaiting_review"]
    with database.session() as session:
        assert find_open_review(session=session, account_id="acct_analyst") is not None


def test_a_new_model_or_policy_alone_does_not_overturn_the_analyst(
    database, champion_model, model_store
):
    # The analyst judged the account's evidence; a band moved by a policy edit (or a new
    # champion) on the same evidence keeps their resolution, and only new evidence that moves
    # the band lets the policy act again. (The resolution goes through the review use case,
    # which keeps the evidence it was judged on.)
    champion, policy = _champion(champion_model, model_store), _severe_policy()
    account = {"id": "acct_evidence"}
    first = _score(database, champion, policy, **account)
    with database.session() as session:
        review = find_open_review(session=session, account_id="acct_evidence")
        assert review is not None
        claim(session=session, review_id=review.id, key_id="key_analyst")
        resolve(
            session=session,
            review_id=review.id,
            key_id="key_analyst",
            resolution="hold",
            note=None,
        )
        session.commit()
    lower = parse_policy(
        default_policy_text()
        .replace("{name: medium, min_score: 0.05}", "{name: medium, min_score: 0.000001}")
        .replace("{name: high, min_score: 0.2}", "{name: high, min_score: 0.000002}")
    )
    same_evidence = _score(database, champion, lower, **account)
    assert (first.band, same_evidence.band) == ("severe", "high")
    assert {action.status for action in same_evidence.actions} == {"noop"}
    assert all("the evidence is unchanged" in action.reason for action in same_evidence.actions)

    overdue = {"currently_due": ["external_account"], "disabled_reason": None}
    new_evidence = _score(database, champion, lower, **account, requirements=overdue)
    assert new_evidence.band == "high"
    assert not any("hold" in action.reason for action in new_evidence.actions)
    # And for good: back on the judged evidence, the escalation in between still counts.
    back = _score(database, champion, lower, **account)
    assert not any("hold" in action.reason for action in back.actions)


def test_a_policy_that_renamed_the_resolutions_band_scores_again(
    database, champion_model, model_store
):
    champion, policy = _champion(champion_model, model_store), _severe_policy()
    first = _score(database, champion, policy, id="acct_renamed")
    _resolve_open_review(database, "acct_renamed", outcome="hold", band=first.band)
    text = default_policy_text()
    for old, new in LOW_BANDS.items():
        text = text.replace(old, new)
    renamed = parse_policy(text.replace("severe", "critical"))
    rescored = _score(database, champion, renamed, id="acct_renamed")
    assert rescored.band == "critical"
    assert not any("hold" in action.reason for action in rescored.actions)


def test_the_digest_ignores_the_order_of_evidence_and_transactions():
    account = stripe_account()
    assert inputs_digest(account, (), ["tx_b", "tx_a"]) == inputs_digest(
        account, (), ["tx_a", "tx_b"]
    )
    assert inputs_digest(account, (), ["tx_a"]) != inputs_digest(account, (), ["tx_a", "tx_b"])


def test_scores_of_one_account_at_the_same_moment_open_one_review(
    database, champion_model, model_store
):
    champion, policy = _champion(champion_model, model_store), _severe_policy()
    account_id = _score(database, champion, policy, id="acct_queue_race").account_id
    # Resolved at another band: every new score of the account asks for a review again.
    _resolve_open_review(database, account_id, outcome="hold", band="low")
    scorers = 4
    together = threading.Barrier(scorers)

    def score_by_id() -> None:
        with database.session() as session:
            assessment = assess_account(
                session=session,
                champion=champion,
                policy=policy,
                as_of=dt.datetime.now(dt.UTC),
                account_id=account_id,
            )
            together.wait(timeout=30)  # every one has read "no open review" by now
            with database.write_turn():
                record_assessment(session, assessment)
                session.commit()

    with ThreadPoolExecutor(scorers) as pool:
        for done in [pool.submit(score_by_id) for _ in range(scorers)]:
            done.result()
    with database.session() as session:
        open_reviews = session.scalars(
            select(Review).where(Review.account_id == account_id, Review.status == "open")
        ).all()
    assert len(open_reviews) == 1
