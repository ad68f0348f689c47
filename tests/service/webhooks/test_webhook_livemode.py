"""Events of the other Stripe mode are refused: a live event to a test-mode service (no key or a
test key) or a test event to a live one gets 400 and stores nothing."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr
from sqlalchemy import select
from svc_support import LiveServer, make_settings, new_event, sign
from wh_support import NEW_SECRET, encode

from service.api.schemas.webhooks import key_is_live
from service.app import create_app
from service.db.database import Database
from service.db.models import InboxEvent

PATH = "/v1/webhooks/stripe"
LIVE_KEY = "sk_live_" + "l" * 24


def _deliver(client: httpx.Client, event: dict[str, object]) -> httpx.Response:
    body = encode(event)
    return client.post(PATH, content=body, headers={"Stripe-Signature": sign(body, NEW_SECRET)})


def _stored(database: Database, event_id: object) -> int:
    with database.session() as session:
        return len(list(session.scalars(select(InboxEvent).where(InboxEvent.event_id == event_id))))


@pytest.fixture(scope="module")
def live_client(shared_database_url: str) -> Iterator[httpx.Client]:
    settings = make_settings(
        shared_database_url,
        stripe_webhook_secret=SecretStr(NEW_SECRET),
        stripe_api_key=SecretStr(LIVE_KEY),
        inprocess_worker=False,
    )
    with LiveServer(create_app(settings)) as server, httpx.Client(base_url=server.url) as http:
        yield http


def test_a_live_event_to_a_test_mode_service_is_refused(
    client: httpx.Client, webhook_database: Database
) -> None:
    event = new_event(livemode=True)
    response = _deliver(client, event)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith(":webhook-livemode-mismatch")
    assert "live-mode event" in problem["detail"] and "test mode" in problem["detail"]
    assert _stored(webhook_database, event["id"]) == 0


def test_a_test_event_to_a_live_service_is_refused(
    live_client: httpx.Client, webhook_database: Database
) -> None:
    event = new_event(livemode=False)
    response = _deliver(live_client, event)
    assert response.status_code == 400
    assert response.json()["type"].endswith(":webhook-livemode-mismatch")
    assert "live key" in response.json()["detail"]
    assert _stored(webhook_database, event["id"]) == 0


def test_a_live_event_to_a_live_service_is_stored(
    live_client: httpx.Client, webhook_database: Database
) -> None:
    event = new_event(livemode=True)
    response = _deliver(live_client, event)
    assert (response.status_code, response.json()) == (200, {"received": True, "duplicate": False})
    assert _stored(webhook_database, event["id"]) == 1


@pytest.mark.parametrize("livemode", [None, "false", 0], ids=["missing", "string", "integer"])
def test_an_event_without_a_boolean_livemode_is_refused(
    client: httpx.Client, webhook_database: Database, livemode: object
) -> None:
    event = new_event()
    if livemode is None:
        del event["livemode"]
    else:
        event["livemode"] = livemode
    response = _deliver(client, event)
    assert response.status_code == 400
    assert "livemode" in response.json()["detail"]
    assert _stored(webhook_database, event["id"]) == 0


@given(secret=st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789", max_size=40))
def test_only_live_secret_and_restricted_keys_are_live(secret: str) -> None:
    assert key_is_live(f"sk_live_{secret}") and key_is_live(f"rk_live_{secret}")
    assert not key_is_live(f"sk_test_{secret}") and not key_is_live(f"rk_test_{secret}")
    assert not key_is_live(None) and not key_is_live("")
