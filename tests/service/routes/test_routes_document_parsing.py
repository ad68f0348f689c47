"""A slow parse runs off the event loop and outside any transaction: other requests are
answered, and other writers write, while it is under way; busy parsers refuse, never queue."""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import httpx
import pytest
from svc_routes_support import IssueKey, KeyForTests, good_pdf
from svc_support import LiveServer, make_settings

from features.documents import DocumentEvidence
from features.documents.workers import shared_pool
from service.api.routes.documents import get_document_parser
from service.app import create_app
from service.db.database import Database
from service.db.repositories.accounts import ensure_account
from service.db.repositories.evidence import list_documents
from service.usecases import upload_document


@contextlib.contextmanager
def _while_parsing(
    database_url: str, key: KeyForTests, account_id: str
) -> Iterator[tuple[httpx.Client, Future[httpx.Response]]]:
    """An upload whose parse blocks until the block ends: the block runs while it parses,
    with a client of the same server and the upload's pending response."""
    parsing, release = threading.Event(), threading.Event()

    def slow_parse(data: bytes) -> DocumentEvidence:
        parsing.set()
        release.wait(timeout=20)
        digest = hashlib.sha256(data).hexdigest()
        return DocumentEvidence(sha256=digest, size_bytes=len(data), kind="bank_statement")

    app = create_app(make_settings(database_url))
    app.dependency_overrides[get_document_parser] = lambda: slow_parse
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=20) as client:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(
                client.post,
                f"/v1/accounts/{account_id}/documents",
                content=good_pdf(seed=9),
                headers={**key.headers, "Content-Type": "application/pdf"},
            )
            assert parsing.wait(timeout=20)
            try:
                yield client, pending
            finally:
                release.set()
                pending.result()


def test_a_slow_parse_does_not_hold_up_other_requests(
    shared_database_url: str, issue: IssueKey, account_id: str
) -> None:
    key = issue(["documents:write"])
    with _while_parsing(shared_database_url, key, account_id) as (client, pending):
        health = client.get("/healthz", timeout=3)
    assert health.status_code == 200
    assert pending.result().status_code == 201


def test_a_slow_parse_holds_no_write_lock(
    shared_database_url: str, routes_database: Database, issue: IssueKey, account_id: str
) -> None:
    # On SQLite a write transaction held across the parse made every other writer wait for
    # the busy timeout and fail with 503; other writers must go on while a file is parsed.
    key = issue(["documents:write"])
    with _while_parsing(shared_database_url, key, account_id) as (_, pending):
        started = time.monotonic()
        with routes_database.write_turn(), routes_database.session() as session:
            ensure_account(session=session, account_id=f"{account_id}x")
            session.commit()
        wrote_in = time.monotonic() - started
    assert wrote_in < 2.0
    assert pending.result().status_code == 201, pending.result().text


def test_an_upload_that_finds_every_parser_busy_gets_503_and_is_not_recorded(
    client: httpx.Client, issue: IssueKey, account_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upload_document, "PARSER_WAIT_S", 0.3)
    parsers = shared_pool(make_settings("sqlite://").document_parsers)
    key = issue(["documents:write"])
    headers = {**key.headers, "Content-Type": "application/pdf"}
    send = {"content": good_pdf(seed=12), "headers": headers}
    # Every parser process taken, as by hostile files that each run to the parse time limit.
    held = [parsers._checkout(block=False) for _ in range(parsers.size)]
    try:
        assert all(held)
        started = time.monotonic()
        refused = client.post(f"/v1/accounts/{account_id}/documents", **send)
        waited = time.monotonic() - started
    finally:
        for worker in held:
            if worker is not None:
                parsers._checkin(worker)
    assert waited < 3.0
    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"].isdigit()
    assert refused.json()["type"].endswith("parsers-busy")
    # Nothing was recorded: the same file, sent again once a parser is free, is new.
    again = client.post(f"/v1/accounts/{account_id}/documents", **send)
    assert again.status_code == 201, again.text


def test_a_file_arriving_slowly_holds_no_database_connection(
    shared_database_url: str, issue: IssueKey, account_id: str
) -> None:
    database = Database.connect(shared_database_url)
    arriving, finish = threading.Event(), threading.Event()
    data = good_pdf(seed=13)

    def slowly() -> Iterator[bytes]:
        yield data[:100]
        arriving.set()
        finish.wait(timeout=20)
        yield data[100:]

    key = issue(["documents:write"])
    app = create_app(make_settings(shared_database_url), database=database)
    try:
        with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=20) as client:
            with ThreadPoolExecutor(max_workers=1) as pool:
                pending = pool.submit(
                    client.post,
                    f"/v1/accounts/{account_id}/documents",
                    content=slowly(),
                    headers={**key.headers, "Content-Type": "application/pdf"},
                )
                assert arriving.wait(timeout=20)
                time.sleep(0.3)  # the key is checked by now; the rest of the file is awaited
                try:
                    held = database.engine.pool.checkedout()  # type: ignore[attr-defined]
                finally:
                    finish.set()
                uploaded = pending.result()
    finally:
        database.dispose()
    assert held == 0
    assert uploaded.status_code == 201, uploaded.text


def test_a_file_whose_parse_ran_out_of_time_is_read_again_when_sent_again(
    shared_database_url: str, routes_database: Database, issue: IssueKey, account_id: str
) -> None:
    # A timeout says more about how busy the machine was than about the file.
    outcomes = iter(["timeout", None])

    def parse(data: bytes) -> DocumentEvidence:
        digest = hashlib.sha256(data).hexdigest()
        error = next(outcomes)
        kind = "unknown" if error else "bank_statement"
        return DocumentEvidence(sha256=digest, size_bytes=len(data), kind=kind, error=error)

    app = create_app(make_settings(shared_database_url))
    app.dependency_overrides[get_document_parser] = lambda: parse
    key = issue(["documents:write"])
    send = {
        "content": good_pdf(seed=14),
        "headers": {**key.headers, "Content-Type": "application/pdf"},
    }
    url = f"/v1/accounts/{account_id}/documents"
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=20) as client:
        first = client.post(url, **send)
        again = client.post(url, **send)
        third = client.post(url, **send)  # now read: the stored record, not parsed a third time
    assert first.status_code == 422 and first.json()["errors"][0]["type"] == "document.timeout"
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["detail"].split()[1]
    assert (again.json()["kind"], again.json()["error"]) == ("bank_statement", None)
    assert third.status_code == 200 and third.json()["id"] == again.json()["id"]
    with routes_database.session() as session:
        [stored] = list_documents(session=session, account_id=account_id)
    assert (stored.kind, stored.error) == ("bank_statement", None)
