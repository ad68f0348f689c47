"""Account state and decision history over HTTP: summaries, full decisions, pages, 404s."""

from __future__ import annotations

import secrets

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from svc_routes_support import IssueKey, Records, good_pdf

from features import spec_of
from service.db.models import ActionStatus
from service.db.repositories.actions import record_action_outcome


def test_an_unknown_account_or_decision_is_a_404_problem(
    client: httpx.Client, issue: IssueKey, account_id: str
) -> None:
    key = issue(["accounts:read", "decisions:read"])
    responses = [
        client.get(f"/v1/accounts/{account_id}", headers=key.headers),
        client.get(f"/v1/accounts/{account_id}/decisions", headers=key.headers),
        client.get("/v1/decisions/dec_missing", headers=key.headers),
    ]
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert all(r.headers["content-type"] == "application/problem+json" for r in responses)
    types = [r.json()["type"].rsplit(":", 1)[1] for r in responses]
    assert types == ["unknown-account", "unknown-account", "unknown-decision"]


def test_an_account_seen_only_through_an_upload_has_no_decision_yet(
    client: httpx.Client, issue: IssueKey, account_id: str
) -> None:
    key = issue(["accounts:read", "documents:write"])
    uploaded = client.post(
        f"/v1/accounts/{account_id}/documents",
        content=good_pdf(seed=7),
        headers={**key.headers, "Content-Type": "application/pdf"},
    )
    assert uploaded.status_code == 201
    body = client.get(f"/v1/accounts/{account_id}", headers=key.headers).json()
    assert body["latest_decision"] is None and body["band"] is None
    assert body["document_count"] == 1


def test_the_account_shows_its_latest_decision_tier_and_applied_actions(
    client: httpx.Client,
    issue: IssueKey,
    records: Records,
    account_id: str,
) -> None:
    records.decision(account_id, band="low")
    latest = records.decision(account_id, band="high", score=0.8)
    metadata = {"metadata": {"risk_tier": "enhanced", "risk_band": "high"}}
    applied = records.action(latest, account_id, "metadata", metadata, f"{latest}:metadata")
    records.action(latest, account_id, "payout_schedule", {"interval": "weekly"}, f"{latest}:p")
    with records.database.session() as session, session.begin():
        record_action_outcome(
            session=session, action_id=applied, status=ActionStatus.APPLIED, stripe_response={}
        )
    key = issue(["accounts:read"])
    body = client.get(f"/v1/accounts/{account_id}", headers=key.headers).json()
    assert body["latest_decision"]["id"] == latest
    assert (body["band"], body["tier"]) == ("high", "enhanced")
    assert [a["id"] for a in body["applied_actions"]] == [applied]


def test_the_account_shows_what_holds_at_stripe_whichever_decision_applied_it(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    def applied(decision: str, kind: str, params: dict) -> str:
        action = records.action(decision, account_id, kind, params, f"{decision}:{kind}")
        with records.database.session() as session, session.begin():
            record_action_outcome(
                session=session, action_id=action, status=ActionStatus.APPLIED, stripe_response={}
            )
        return action

    first = records.decision(account_id, band="high")
    old_schedule = applied(first, "payout_schedule", {"interval": "weekly"})
    held = applied(first, "metadata", {"metadata": {"risk_band": "high"}})
    second = records.decision(account_id, band="severe")
    manual = applied(second, "payout_schedule", {"interval": "manual"})
    # The newest decision found everything already right: it applied nothing.
    third = records.decision(account_id, band="severe")
    records.action(third, account_id, "metadata", {}, f"{third}:m", status=ActionStatus.SKIPPED)
    key = issue(["accounts:read"])
    body = client.get(f"/v1/accounts/{account_id}", headers=key.headers).json()
    assert body["latest_decision"]["id"] == third
    in_force = [action["id"] for action in body["applied_actions"]]
    assert in_force == [held, manual] and old_schedule not in in_force


def test_reasons_recorded_as_bare_names_are_shown_with_what_is_known(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    # Decisions recorded before reasons were kept in full hold feature names alone.
    decision = records.decision(
        account_id,
        reasons=["account_age_days", "payout_failed_count_all"],
        features={"account_age_days": 3.0},
    )
    key = issue(["decisions:read"])
    reasons = client.get(f"/v1/decisions/{decision}", headers=key.headers).json()["reasons"]
    assert [(r["feature"], r["value"], r["contribution"]) for r in reasons] == [
        ("account_age_days", 3.0, None),
        ("payout_failed_count_all", None, None),
    ]
    assert reasons[0]["description"] == spec_of("account_age_days").description
    unknown = spec_of("payout_failed_count_all").description
    assert reasons[1]["description"] == f"Not known: {unknown}"


def test_a_decision_is_shown_in_full_with_its_actions(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    decision = records.decision(account_id, band="medium", reasons=["disputes_90d"])
    records.action(decision, account_id, "reject", {"reason": "fraud"}, f"{decision}:reject")
    key = issue(["decisions:read"])
    body = client.get(f"/v1/decisions/{decision}", headers=key.headers).json()
    assert body["band"] == "medium"
    assert body["features"] == {"account_age_days": 3.0}
    assert body["model_version"] == "risk-model/1" and body["policy_version"] == "policy-1"
    assert [(a["kind"], a["status"]) for a in body["actions"]] == [("reject", "planned")]


def test_a_decision_shows_every_answer_stripe_gave_its_actions(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    decision = records.decision(account_id, band="high")
    params = {"settings": {"payouts": {"schedule": {"interval": "weekly"}}}}
    sent = records.action(decision, account_id, "payout_schedule", params, f"{decision}:p")
    records.action(decision, account_id, "metadata", {"metadata": {}}, f"{decision}:m")
    outage = {"http_status": 503, "error_code": None, "message": "unavailable"}
    with records.database.session() as session, session.begin():
        record_action_outcome(
            session=session,
            action_id=sent,
            status=ActionStatus.FAILED,
            stripe_response=outage,
            error="retrying: 503: unavailable",
        )
    with records.database.session() as session, session.begin():
        record_action_outcome(
            session=session,
            action_id=sent,
            status=ActionStatus.APPLIED,
            stripe_response={"http_status": 200},
        )
    key = issue(["decisions:read"])
    actions = client.get(f"/v1/decisions/{decision}", headers=key.headers).json()["actions"]
    by_kind = {action["kind"]: action for action in actions}
    payout, metadata = by_kind["payout_schedule"], by_kind["metadata"]
    assert (payout["status"], payout["attempts"], payout["error"]) == ("applied", 2, None)
    requests = payout["stripe_requests"]
    assert [(r["status"], r["error"]) for r in requests] == [
        ("failed", "retrying: 503: unavailable"),
        ("applied", None),
    ]
    assert requests[0]["stripe_response"] == outage
    assert metadata["stripe_requests"] == []


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(count=st.integers(min_value=1, max_value=7), limit=st.integers(min_value=1, max_value=4))
def test_pages_walk_the_history_newest_first_without_gaps_or_repeats(
    client: httpx.Client, issue: IssueKey, records: Records, count: int, limit: int
) -> None:
    account = f"acct_{secrets.token_hex(8)}"
    written = [records.decision(account) for _ in range(count)]
    key = issue(["decisions:read"])
    seen: list[str] = []
    cursor: dict[str, str] = {}
    while True:
        response = client.get(
            f"/v1/accounts/{account}/decisions",
            params={"limit": limit, **cursor},
            headers=key.headers,
        )
        page = response.json()
        assert len(page["data"]) <= limit
        seen += [item["id"] for item in page["data"]]
        if not page["has_more"]:
            break
        cursor = {"starting_after": seen[-1]}
    assert seen == list(reversed(written))


def test_a_cursor_from_another_account_is_a_422(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    other = records.decision(f"{account_id}other")
    records.decision(account_id)
    key = issue(["decisions:read"])
    response = client.get(
        f"/v1/accounts/{account_id}/decisions",
        params={"starting_after": other},
        headers=key.headers,
    )
    too_many = client.get(
        f"/v1/accounts/{account_id}/decisions", params={"limit": 500}, headers=key.headers
    )
    assert (response.status_code, too_many.status_code) == (422, 422)
    assert response.json()["errors"] == [
        {
            "loc": ["query", "starting_after"],
            "msg": f"starting_after is not a decision of {account_id}",
            "type": "value_error",
        }
    ]
    assert too_many.json()["errors"][0]["loc"] == ["query", "limit"]


def test_reading_needs_the_right_scope(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    decision = records.decision(account_id)
    uploader = issue(["documents:write"])
    responses = [
        client.get(f"/v1/accounts/{account_id}", headers=uploader.headers),
        client.get(f"/v1/accounts/{account_id}/decisions", headers=uploader.headers),
        client.get(f"/v1/decisions/{decision}", headers=uploader.headers),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403]
