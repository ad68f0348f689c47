"""One emulator instance: wires spec validators, state, operations, faults and webhook delivery."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from . import errors, rules
from .config import EmulatorConfig
from .faults import FaultInjector
from .objects import IdFactory
from .operations import AccountOperations, Outcome
from .spec import find_spec_path
from .state import EmulatorState
from .validation import SpecValidators, validators_for
from .webhooks import WebhookSender, build_event

TEMPLATES = ("account", "capability", "person", "bank_account")


class Emulator:
    """The composition root; the HTTP layer (app.py, control.py) only translates to and from it."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.validators: SpecValidators = validators_for(find_spec_path(config.spec_path))
        fixtures = self.validators.fixtures
        self.templates = {name: fixtures[name] for name in TEMPLATES}
        components = self.validators.spec["components"]["schemas"]
        self.state = EmulatorState(config.state_file)
        self.ids = IdFactory(config.seed)
        self.faults = FaultInjector(config.faults)
        self.sender: WebhookSender | None = None
        if config.webhook_url and config.webhook_secret:
            self.sender = WebhookSender(config.webhook_url, config.webhook_secret)
        self.operations = AccountOperations(
            self.state,
            self.templates,
            rules.capability_names(components["account_capabilities"]),
            self.ids,
        )

    def close(self) -> None:
        """Write pending state and stop background delivery (queued events are still sent)."""
        self.state.close()
        if self.sender is not None:
            self.sender.close()

    def commit(self, outcome: Outcome) -> bool:
        """Store an outcome's write, unless the account it would store breaks the spec.

        A refused write raises the 500 that names the mismatch and leaves the state as it was, so
        one bad write cannot make every later read of the account fail. Returns whether anything
        was written.
        """
        change = outcome.change
        if change is not None and self.config.validate_responses and change.account != outcome.body:
            problems = self.validators.response_errors("account", change.account)
            if problems:
                raise errors.api_error(
                    f"Emulator would store an account that does not match the spec: {problems[:3]}"
                )
        return self.operations.commit(outcome)

    def emit(
        self,
        event_type: str,
        obj: dict[str, Any],
        *,
        previous: dict[str, Any] | None = None,
        account_id: str | None = None,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        event_id: str | None = None,
        created: int | None = None,
    ) -> dict[str, Any]:
        """Build an event, check it against the spec, log it and queue its delivery."""
        event = build_event(
            event_id=event_id or self.ids.new("evt"),
            event_type=event_type,
            obj=obj,
            created=created if created is not None else int(time.time()),
            api_version=self.config.api_version,
            previous=previous,
            account_id=account_id,
            request_id=request_id,
            idempotency_key=idempotency_key,
            pending_webhooks=1 if self.sender else 0,
        )
        problems = self.validators.response_errors("event", event)
        if problems:
            raise ValueError(f"event does not match the spec's event schema: {problems[:3]}")
        record: dict[str, Any] = {"event": event, "deliveries": [], "delivered": None}
        self.state.log_event(record)
        if self.sender is not None:
            self.sender.send(record)
        return event

    def emit_outcome(
        self, outcome: Outcome, request_id: str | None, idempotency_key: str | None
    ) -> None:
        """Send the events of an operation and schedule the capability reviews it started."""
        for event_type, obj, previous in outcome.events:
            account_id = obj["id"] if obj.get("object") == "account" else obj.get("account")
            self.emit(
                event_type,
                obj,
                previous=previous,
                account_id=account_id,
                request_id=request_id,
                idempotency_key=idempotency_key,
            )
        delay = self.config.capability_review_seconds
        if delay is None or not outcome.reviews:
            return
        loop = asyncio.get_running_loop()
        for account_id, name in outcome.reviews:
            loop.call_later(delay, self._review, account_id, name)

    def _review(self, account_id: str, name: str) -> None:
        if self.state.account(account_id) is None:
            return
        outcome = self.operations.review(account_id, name)
        self.commit(outcome)
        self.emit_outcome(outcome, None, None)
