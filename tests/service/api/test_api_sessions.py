"""Every request gives its database connections back, whichever way it ends.

The request session is an async dependency that closes on the event loop when no transaction
is open and in the thread pool when one is (service.api.deps.get_session); the key lookup has
a session of its own. A connection left checked out would exhaust the pool under load.
"""

from __future__ import annotations

import time

import httpx
from svc_api_support import FakeModelStatus, issue_into
from svc_support import LiveServer, make_settings

from service.app import create_app
from service.db.database import Database


def _checked_out_settles_at_zero(database: Database) -> int:
    # The dependency's exit may finish just after the response is sent.
    deadline = time.monotonic() + 5
    while database.engine.pool.checkedout() and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.02)
    return int(database.engine.pool.checkedout())  # type: ignore[attr-defined]


def test_requests_return_their_connections_after_reads_writes_and_errors(
    database: Database,
) -> None:
    settings = make_settings(
        str(database.engine.url.render_as_string(False)), inprocess_worker=False
    )
    app = create_app(settings, model_status=FakeModelStatus(), database=database)
    admin = issue_into(database, ["admin"])
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        steps = [
            # the key lookup alone (its own session), no route session
            ("GET", "/v1/whoami", None, 200),
            # a read that finds nothing: the route's transaction is open when it fails
            ("GET", "/v1/accounts/acct_1Nobody", None, 404),
            # a read that succeeds: its transaction is still open when the route returns
            ("GET", "/v1/api-keys", None, 200),
            # a committed write
            ("POST", "/v1/api-keys", {"name": "issued", "scopes": ["accounts:read"]}, 201),
            # a write that fails inside its transaction
            ("DELETE", "/v1/api-keys/nothere", None, 404),
            # a wrong key: the lookup's session only
            ("GET", "/v1/whoami", None, 401),
        ]
        for method, path, body, status in steps:
            headers = admin.headers if status != 401 else {"Authorization": "Bearer cr_live_x_y"}
            response = client.request(method, path, json=body, headers=headers)
            assert response.status_code == status, (path, response.text)
            assert _checked_out_settles_at_zero(database) == 0, path
