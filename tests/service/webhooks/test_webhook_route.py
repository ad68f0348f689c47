"""POST /v1/webhooks/stripe over real HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from svc_support import LiveServer, make_settings, new_event, sign
from wh_support import MAX_BODY_BYTES, NEW_SECRET, OLD_SECRET, encode

from service.api.webhook_fast_path import WebhookFastPath
from service.app import create_app
from service.db.database import Database
from service.db.models import InboxEvent, InboxStatus
from service.worker.worker import Worker

PATH = "/v1/webhooks/stripe"


def _stored(database: Database, event_id: str) -> list[InboxEvent]:
    with database.session() as session:
        return list(session.scalars(select(InboxEvent).where(InboxEvent.event_id == event_id)))


def _inbox_size(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(InboxEvent)) or 0)


def _post(client: httpx.Client, body: bytes, signature: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    return client.post(PATH, content=body, headers=headers)


def test_signed_event_is_stored_once_and_replays_are_duplicates(
    client: httpx.Client, webhook_database: Database
) -> None:
    event = new_event(account="acct_wh1")
    body = encode(event)
    first = _post(client, body, sign(body, NEW_SECRET))
    assert first.status_code == 200
    assert first.json() == {"received": True, "duplicate": False}
    replay = _post(client, body, sign(body, NEW_SECRET))
    assert replay.json() == {"received": True, "duplicate": True}
    (row,) = _stored(webhook_database, event["id"])
    assert (row.type, row.account_id, row.payload) == ("payout.paid", "acct_wh1", event)
    assert row.status == InboxStatus.RECEIVED


def test_the_previous_secret_still_passes_during_rotation(
    client: httpx.Client, webhook_database: Database
) -> None:
    event = new_event()
    body = encode(event)
    assert _post(client, body, sign(body, OLD_SECRET)).status_code == 200
    assert len(_stored(webhook_database, event["id"])) == 1


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(lambda body: sign(body, "whsec_someone_else"), id="wrong-secret"),
        pytest.param(lambda body: None, id="missing"),
        pytest.param(lambda body: "t=1,v1=nonsense", id="malformed"),
        pytest.param(lambda body: sign(body, NEW_SECRET, int(time.time()) - 400), id="stale"),
        pytest.param(lambda body: sign(body + b" ", NEW_SECRET), id="other-body"),
    ],
)
def test_bad_signatures_are_refused_and_nothing_is_stored(
    client: httpx.Client, webhook_database: Database, signature
) -> None:
    event = new_event()
    body = encode(event)
    response = _post(client, body, signature(body))
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 400
    assert _stored(webhook_database, event["id"]) == []


def test_stale_timestamp_says_so(client: httpx.Client) -> None:
    body = encode(new_event())
    response = _post(client, body, sign(body, NEW_SECRET, int(time.time()) - 400))
    assert "tolerance" in response.json()["detail"].lower()


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"object": "charge", "id": "ch_1"}', b'{"object": "event", "id": 5}'],
    ids=["not-json", "not-an-event", "no-string-id"],
)
def test_signed_but_malformed_bodies_are_refused(
    client: httpx.Client, webhook_database: Database, body: bytes
) -> None:
    before = _inbox_size(webhook_database)
    response = _post(client, body, sign(body, NEW_SECRET))
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert _inbox_size(webhook_database) == before


def test_oversized_bodies_are_refused_before_reading(
    client: httpx.Client, webhook_database: Database
) -> None:
    event = new_event(padding="x" * (MAX_BODY_BYTES + 1))
    body = encode(event)
    response = _post(client, body, sign(body, NEW_SECRET))
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert _stored(webhook_database, event["id"]) == []


def test_unknown_types_are_stored_then_ignored_by_the_worker(
    client: httpx.Client, webhook_database: Database
) -> None:
    event = new_event("balance_settings.updated")
    body = encode(event)
    assert _post(client, body, sign(body, NEW_SECRET)).status_code == 200
    worker = Worker(database=webhook_database)
    for _ in range(20):
        if worker.run_once().claimed == 0:
            break
    (row,) = _stored(webhook_database, event["id"])
    assert row.status == InboxStatus.IGNORED


@pytest.fixture(scope="module")
def server_without_database() -> Iterator[LiveServer]:
    settings = make_settings(
        "postgresql+psycopg://postgres@127.0.0.1:1/none",
        stripe_webhook_secret=SecretStr(NEW_SECRET),
    )
    with LiveServer(create_app(settings)) as server:
        yield server


def test_database_down_answers_503_with_retry_after(server_without_database: LiveServer) -> None:
    body = encode(new_event())
    with httpx.Client(base_url=server_without_database.url, timeout=15) as http:
        response = _post(http, body, sign(body, NEW_SECRET))
    assert response.status_code == 503
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["content-type"] == "application/problem+json"


def test_no_configured_secret_answers_503(sqlite_url: str) -> None:
    with LiveServer(create_app(make_settings(sqlite_url))) as server:
        body = encode(new_event())
        response = httpx.post(
            server.url + PATH, content=body, headers={"Stripe-Signature": sign(body, NEW_SECRET)}
        )
    assert response.status_code == 503
    assert "Retry-After" in response.headers


def test_oversized_streamed_bodies_are_cut_off(
    client: httpx.Client, webhook_database: Database
) -> None:
    event = new_event(padding="x" * (MAX_BODY_BYTES + 1))
    body = encode(event)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    response = client.post(
        PATH, content=chunks(), headers={"Stripe-Signature": sign(body, NEW_SECRET)}
    )
    assert response.status_code == 413
    assert _stored(webhook_database, event["id"]) == []


def test_deliveries_are_timed_under_the_route_template(client: httpx.Client) -> None:
    body = encode(new_event())
    assert _post(client, body, sign(body, NEW_SECRET)).status_code == 200
    assert _post(client, body, "t=1,v1=bad").status_code == 400
    metrics = client.get("/metrics").text
    for status in ("200", "400"):
        assert (
            "connect_risk_http_request_duration_seconds_count{"
            f'method="POST",route="{PATH}",status="{status}"}}'
        ) in metrics


def test_other_methods_on_the_webhook_path_reach_the_router(client: httpx.Client) -> None:
    response = client.get(PATH)
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


def test_a_database_locked_too_long_answers_503_and_the_redelivery_is_stored(
    sqlite_url: str,
) -> None:
    settings = make_settings(
        sqlite_url, stripe_webhook_secret=SecretStr(NEW_SECRET), inprocess_worker=False
    )
    database = Database.connect(sqlite_url)
    database.ensure_schema()
    event = new_event()
    body = encode(event)
    blocker = database.engine.raw_connection()
    try:
        with (
            LiveServer(create_app(settings)) as server,
            httpx.Client(base_url=server.url, timeout=30) as http,
        ):
            # Another process holds SQLite's write lock past the busy timeout: Stripe is told
            # to come back later, and nothing is stored meanwhile.
            blocker.cursor().execute("BEGIN IMMEDIATE")
            refused = _post(http, body, sign(body, NEW_SECRET))
            blocker.rollback()
            assert refused.status_code == 503
            assert int(refused.headers["retry-after"]) > 0
            assert "not stored" in refused.json()["detail"]
            assert _stored(database, event["id"]) == []
            redelivered = _post(http, body, sign(body, NEW_SECRET))
        assert redelivered.json() == {"received": True, "duplicate": False}
        assert len(_stored(database, event["id"])) == 1
    finally:
        blocker.close()
        database.dispose()


def test_the_documented_route_answers_as_the_fast_path_does(
    shared_database_url: str, webhook_database: Database
) -> None:
    settings = make_settings(
        shared_database_url,
        stripe_webhook_secret=SecretStr(NEW_SECRET),
        inprocess_worker=False,
    )
    app = create_app(settings)
    # Without the fast path, deliveries reach the APIRoute through FastAPI's routing.
    app.user_middleware = [m for m in app.user_middleware if m.cls is not WebhookFastPath]
    event = new_event(account="acct_routed")
    body = encode(event)
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=10) as http:
        first = _post(http, body, sign(body, NEW_SECRET))
        replay = _post(http, body, sign(body, NEW_SECRET))
        forged = _post(http, body, sign(body, "whsec_someone_else"))
        live = encode(new_event(livemode=True))
        other_mode = _post(http, live, sign(live, NEW_SECRET))
    assert first.json() == {"received": True, "duplicate": False}
    assert replay.json() == {"received": True, "duplicate": True}
    assert (forged.status_code, forged.headers["content-type"]) == (400, "application/problem+json")
    assert other_mode.json()["type"].endswith(":webhook-livemode-mismatch")
    assert len(_stored(webhook_database, event["id"])) == 1
