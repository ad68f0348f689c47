"""POST /v1/webhooks/stripe over real HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from svc_support import LiveServer, make_settings
from wh_support import MAX_BODY_BYTES, NEW_SECRET, OLD_SECRET, encode, new_event, sign

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
