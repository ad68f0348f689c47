"""A slow parse runs off the event loop: other requests are answered while it is under way."""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from svc_routes_support import IssueKey, good_pdf
from svc_support import LiveServer, make_settings

from features.documents import DocumentEvidence
from service.api.routes.documents import get_document_parser
from service.app import create_app


def test_a_slow_parse_does_not_hold_up_other_requests(
    shared_database_url: str, issue: IssueKey, account_id: str
) -> None:
    parsing, release = threading.Event(), threading.Event()

    def slow_parse(data: bytes) -> DocumentEvidence:
        parsing.set()
        release.wait(timeout=20)
        digest = hashlib.sha256(data).hexdigest()
        return DocumentEvidence(sha256=digest, size_bytes=len(data), kind="bank_statement")

    app = create_app(make_settings(shared_database_url))
    app.dependency_overrides[get_document_parser] = lambda: slow_parse
    key = issue(["documents:write"])
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
                health = client.get("/healthz", timeout=3)
            finally:
                release.set()
            uploaded = pending.result()
    assert health.status_code == 200
    assert uploaded.status_code == 201
