"""Moving the champion alias while a client scores: no request fails, the new version takes
over for every later decision."""

from __future__ import annotations

import threading
import time

import httpx
from scoring_support import ModelStore, register_copy_of, stripe_account

from training import registry, tracking


def test_the_watcher_swaps_in_a_new_champion_without_failing_requests(
    scoring_server, headers, model_store: ModelStore
):
    new_version = register_copy_of(model_store.version, model_store.uri)
    results: list[tuple[int, str | None]] = []
    stop = threading.Event()

    def client_loop() -> None:
        with httpx.Client(base_url=scoring_server.url, timeout=30) as http:
            while not stop.is_set():
                response = http.post(
                    "/v1/scores", json={"account": stripe_account()}, headers=headers
                )
                version = response.json().get("model_version") if response.is_success else None
                results.append((response.status_code, version))

    worker = threading.Thread(target=client_loop, daemon=True)
    worker.start()
    try:
        time.sleep(0.5)
        tracking.use_store(model_store.uri)
        registry.crown(new_version)
        deadline = time.monotonic() + 20
        expected = f"provider-risk/{new_version}"
        while time.monotonic() < deadline and not any(v == expected for _, v in results[-5:]):
            time.sleep(0.1)
        time.sleep(0.3)
    finally:
        stop.set()
        worker.join(timeout=30)
        registry.crown(model_store.version)

    assert results, "the client sent no request"
    assert all(status == 201 for status, _ in results), {s for s, _ in results}
    versions = [version for _, version in results]
    old = f"provider-risk/{model_store.version}"
    assert versions[0] == old
    first_new = versions.index(expected)
    assert set(versions[:first_new]) == {old}
    assert set(versions[first_new:]) == {expected}
    ready = httpx.get(f"{scoring_server.url}/readyz").json()
    assert ready["model_version"] in (old, expected)
