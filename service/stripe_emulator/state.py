"""The emulator's memory: accounts, capability state, rejections, idempotency keys, logs.

Optionally persisted to a JSON state file (written atomically, at most every
PERSIST_DELAY_SECONDS and on close), so a restarted emulator continues where it stopped. The
request and event logs are in memory only.
"""

from __future__ import annotations

import json
import os
import threading
from collections import deque
from pathlib import Path
from typing import Any

from .idempotency import IdempotencyStore

REQUEST_LOG_LIMIT = 10_000
EVENT_LOG_LIMIT = 2_000
PERSIST_DELAY_SECONDS = 0.2
STATE_VERSION = 1


class EmulatorState:
    """Everything the emulator remembers; mutate only through its methods or under `lock`."""

    def __init__(self, state_file: Path | None = None) -> None:
        self.state_file = state_file
        self.lock = threading.RLock()
        self.accounts: dict[str, dict[str, Any]] = {}
        self.capabilities: dict[str, dict[str, dict[str, Any]]] = {}
        self.rejections: dict[str, dict[str, Any]] = {}
        self.idempotency = IdempotencyStore()
        self.requests: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_LIMIT)
        self.events: deque[dict[str, Any]] = deque(maxlen=EVENT_LOG_LIMIT)
        self._dirty = False
        self._timer: threading.Timer | None = None
        if state_file is not None and state_file.exists():
            self._load(state_file)

    def account(self, account_id: str) -> dict[str, Any] | None:
        """The stored account (do not mutate; use `commit`)."""
        return self.accounts.get(account_id)

    def capability_metas(self, account_id: str) -> dict[str, dict[str, Any]]:
        """Stored capability states of an account (a copy)."""
        return {k: dict(v) for k, v in self.capabilities.get(account_id, {}).items()}

    def commit(
        self,
        account: dict[str, Any],
        metas: dict[str, dict[str, Any]] | None = None,
        rejection: dict[str, Any] | None | bool = False,
    ) -> None:
        """Store a changed account with its capability states (and rejection snapshot: a dict
        to set, None to clear, False to keep), then persist."""
        with self.lock:
            self.accounts[account["id"]] = account
            if metas is not None:
                self.capabilities[account["id"]] = metas
            if rejection is None:
                self.rejections.pop(account["id"], None)
            elif isinstance(rejection, dict):
                self.rejections[account["id"]] = rejection
            self.persist()

    def seed(self, account: dict[str, Any]) -> dict[str, Any] | None:
        """Put a full account in place (tests' generated accounts); returns the previous one."""
        with self.lock:
            previous = self.accounts.get(account["id"])
            self.accounts[account["id"]] = account
            self.capabilities.pop(account["id"], None)
            self.rejections.pop(account["id"], None)
            self.persist()
            return previous

    def reset(self) -> None:
        """Forget accounts, keys and logs."""
        with self.lock:
            self.accounts.clear()
            self.capabilities.clear()
            self.rejections.clear()
            self.idempotency.clear()
            self.requests.clear()
            self.events.clear()
            self.persist()

    def log_request(self, entry: dict[str, Any]) -> None:
        """Append one request to the request log."""
        with self.lock:
            self.requests.append(entry)

    def log_event(self, record: dict[str, Any]) -> None:
        """Append one event record (event plus its delivery attempts) to the event log."""
        with self.lock:
            self.events.append(record)

    def persist(self) -> None:
        """Schedule a write of the state file (if configured); bursts of changes share one write,
        so seeding thousands of accounts stays linear."""
        if self.state_file is None:
            return
        with self.lock:
            self._dirty = True
            if self._timer is None:
                self._timer = threading.Timer(PERSIST_DELAY_SECONDS, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def flush(self) -> None:
        """Write pending changes to the state file now, atomically."""
        if self.state_file is None:
            return
        with self.lock:
            self._timer = None
            if not self._dirty:
                return
            data = {
                "version": STATE_VERSION,
                "accounts": self.accounts,
                "capabilities": self.capabilities,
                "rejections": self.rejections,
                "idempotency": self.idempotency.to_json(),
            }
            temporary = self.state_file.with_name(self.state_file.name + ".tmp")
            temporary.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(data), encoding="utf-8")
            os.replace(temporary, self.state_file)
            self._dirty = False

    def close(self) -> None:
        """Cancel the pending timer and write what is pending."""
        with self.lock:
            if self._timer is not None:
                self._timer.cancel()
        self.flush()

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"state file {path} is not readable JSON: {exc}") from exc
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ValueError(
                f"state file {path} is not an emulator state (version {STATE_VERSION})"
            )
        self.accounts = dict(data.get("accounts", {}))
        self.capabilities = dict(data.get("capabilities", {}))
        self.rejections = dict(data.get("rejections", {}))
        self.idempotency.load_json(data.get("idempotency", {}))
