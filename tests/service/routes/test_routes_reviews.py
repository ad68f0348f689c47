"""The review queue over HTTP: listing, claiming, resolving, conflicts and confirmed rejects."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
from svc_routes_support import IssueKey, Records

from service.db.models import Action, ActionStatus
from service.usecases.review_queue import latest_analyst_resolution

ANALYST = ["review:read", "review:write"]
# How a rejection the policy holds for an analyst is stored (service.usecases.store_actions).
HELD = {"status": ActionStatus.SKIPPED, "error": "awaiting_review: held for an analyst"}


def claim(client: httpx.Client, review: str, headers: dict[str, str]) -> httpx.Response:
    return client.post(f"/v1/reviews/{review}/claim", headers=headers)


def resolve(
    client: httpx.Client, review: str, headers: dict[str, str], **body: object
) -> httpx.Response:
    return client.post(f"/v1/reviews/{review}/resolve", json=body, headers=headers)


def test_open_reviews_are_listed_oldest_first_and_paged(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    opened = [records.review(f"{account_id}r{n}") for n in range(3)]
    key = issue(ANALYST)
    seen: list[str] = []
    params: dict[str, str | int] = {"status": "open", "limit": 50}
    while True:
        page = client.get("/v1/reviews", params=params, headers=key.headers).json()
        seen += [item["id"] for item in page["data"]]
        if not page["has_more"]:
            break
        params["starting_after"] = seen[-1]
    mine = [review for review in seen if review in opened]
    assert mine == opened
    unknown = client.get(
        "/v1/reviews", params={"starting_after": "rev_unknown"}, headers=key.headers
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == ["query", "starting_after"]
    assert unknown.json()["errors"][0]["msg"] == "starting_after is not an open review"


def test_the_queue_filters_by_account_and_by_whether_anyone_claimed_it(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    taken, waiting = records.review(f"{account_id}a"), records.review(f"{account_id}b")
    key = issue(ANALYST)
    assert client.post(f"/v1/reviews/{taken}/claim", headers=key.headers).status_code == 200

    def listed(**params: str) -> list[str]:
        page = client.get("/v1/reviews", params={"limit": 100, **params}, headers=key.headers)
        assert page.status_code == 200, page.text
        return [item["id"] for item in page.json()["data"]]

    assert listed(account=f"{account_id}a") == [taken]
    assert listed(account=f"{account_id}b") == [waiting]
    assert waiting in listed(claimed="false") and taken not in listed(claimed="false")
    assert taken in listed(claimed="true") and waiting not in listed(claimed="true")
    bad = client.get("/v1/reviews", params={"account": "x"}, headers=key.headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "account"]


def test_a_claim_given_back_lets_another_analyst_take_the_review(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    review = records.review(account_id)
    first, second = issue(ANALYST), issue(ANALYST)
    assert client.post(f"/v1/reviews/{review}/claim", headers=first.headers).status_code == 200
    not_theirs = client.post(f"/v1/reviews/{review}/release", headers=second.headers)
    assert not_theirs.status_code == 409
    released = client.post(f"/v1/reviews/{review}/release", headers=first.headers)
    assert released.status_code == 200, released.text
    assert released.json()["claimed_by"] is None and released.json()["status"] == "open"
    assert client.post(f"/v1/reviews/{review}/claim", headers=second.headers).status_code == 200
    unknown = client.post("/v1/reviews/rev_nope/release", headers=first.headers)
    assert unknown.status_code == 404


def test_a_claimed_review_belongs_to_its_claimer_until_resolved(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    records.decision(account_id, band="high")
    review = records.review(account_id)
    first, second = issue(ANALYST), issue(ANALYST)
    assert claim(client, review, first.headers).status_code == 200
    assert claim(client, review, first.headers).status_code == 200
    taken = claim(client, review, second.headers)
    assert taken.status_code == 409
    assert taken.headers["content-type"] == "application/problem+json"
    assert resolve(client, review, second.headers, resolution="approve").status_code == 409

    done = resolve(client, review, first.headers, resolution="hold", note="bank letter due")
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["status"] == "resolved" and body["resolution"] == "hold"
    assert (body["resolved_by"], body["band_at_resolution"]) == (first.key_id, "high")
    assert body["at_stripe"].startswith("nothing is sent to Stripe")
    again = resolve(client, review, first.headers, resolution="approve")
    assert again.status_code == 409
    assert claim(client, review, second.headers).status_code == 409


def test_an_unclaimed_or_unknown_review_cannot_be_resolved(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    review = records.review(account_id)
    key = issue(ANALYST)
    assert resolve(client, review, key.headers, resolution="approve").status_code == 409
    missing = resolve(client, "rev_missing", key.headers, resolution="approve")
    assert missing.status_code == 404
    assert missing.json()["type"].endswith("unknown-review")
    assert claim(client, "rev_missing", key.headers).status_code == 404


def test_a_reject_resolution_confirms_the_held_back_rejection(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    decision = records.decision(account_id, band="critical")
    action = records.action(
        decision, account_id, "reject", {"reason": "fraud"}, f"{decision}:r", **HELD
    )
    review = records.review(account_id, decision)
    key = issue(ANALYST)
    claim(client, review, key.headers)
    body = resolve(client, review, key.headers, resolution="reject").json()
    assert body["confirmed_action_id"] == action
    assert body["at_stripe"] == f"rejection confirmed: action {action} sends it to Stripe"
    with records.database.session() as session:
        stored = session.get(Action, action)
        assert stored is not None
        assert (stored.status, stored.params) == ("planned", {"reason": "fraud"})
        remembered = latest_analyst_resolution(session=session, account_id=account_id)
    assert remembered is not None
    assert (remembered.outcome, remembered.band) == ("reject", "critical")


def test_a_reject_resolution_never_releases_a_rejection_the_platform_may_not_send(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    decision = records.decision(account_id, band="critical")
    refused = "not_controllable: Stripe, not the platform, is liable for this account's losses"
    action = records.action(
        decision,
        account_id,
        "reject",
        {"reason": "fraud"},
        f"{decision}:r",
        status=ActionStatus.SKIPPED,
        error=refused,
    )
    review = records.review(account_id, decision)
    key = issue(ANALYST)
    claim(client, review, key.headers)
    body = resolve(client, review, key.headers, resolution="reject").json()
    assert body["status"] == "resolved" and body["confirmed_action_id"] is None
    # The analyst is told, not left to find out later that nothing reached Stripe.
    assert body["at_stripe"] == f"no rejection is sent: {refused}"
    with records.database.session() as session:
        stored = session.get(Action, action)
        assert stored is not None
        assert (stored.status, stored.error) == (ActionStatus.SKIPPED, refused)


def test_a_reject_resolution_says_when_the_policy_plans_no_rejection(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    decision = records.decision(account_id, band="high")
    review = records.review(account_id, decision)
    key = issue(ANALYST)
    claim(client, review, key.headers)
    body = resolve(client, review, key.headers, resolution="reject").json()
    assert body["resolution"] == "reject" and body["confirmed_action_id"] is None
    assert body["at_stripe"].startswith("no rejection is sent: the policy plans none")


def test_a_bad_resolution_body_names_the_invalid_fields(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    review = records.review(account_id)
    key = issue(ANALYST)
    response = resolve(client, review, key.headers, resolution="ban", note="x" * 3000)
    assert response.status_code == 422
    locations = sorted(tuple(error["loc"]) for error in response.json()["errors"])
    assert locations == [("body", "note"), ("body", "resolution")]


def test_the_queue_needs_review_scopes(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    review = records.review(account_id)
    reader = issue(["review:read"])
    outsider = issue(["accounts:read"])
    assert client.get("/v1/reviews", headers=outsider.headers).status_code == 403
    assert client.get("/v1/reviews", headers=reader.headers).status_code == 200
    assert claim(client, review, reader.headers).status_code == 403


def test_racing_claims_leave_exactly_one_winner(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    review = records.review(account_id)
    keys = [issue(ANALYST) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        responses = list(pool.map(lambda key: claim(client, review, key.headers), keys))
    statuses = [response.status_code for response in responses]
    assert sorted(statuses) == [200, 409, 409, 409]
    winner = statuses.index(200)
    assert responses[winner].json()["claimed_by"] == keys[winner].key_id
    assert claim(client, review, keys[winner].headers).status_code == 200


def test_a_claim_ends_with_the_key_that_made_it(
    client: httpx.Client, issue: IssueKey, records: Records, account_id: str
) -> None:
    records.decision(account_id, band="high")
    review = records.review(account_id)
    leaving, staying, admin = issue(ANALYST), issue(ANALYST), issue(["admin"])
    assert claim(client, review, leaving.headers).status_code == 200
    assert claim(client, review, staying.headers).status_code == 409

    revoked = client.delete(f"/v1/api-keys/{leaving.key_id}", headers=admin.headers)
    assert revoked.is_success, revoked.text
    taken = claim(client, review, staying.headers)
    assert taken.status_code == 200, taken.text
    assert taken.json()["claimed_by"] == staying.key_id
    done = resolve(client, review, staying.headers, resolution="approve")
    assert done.status_code == 200, done.text
