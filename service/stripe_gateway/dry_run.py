"""The gateway used without STRIPE_API_KEY: actions are recorded as they would be sent, not sent."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from service.domain.actions import PlannedAction
from service.stripe_gateway.errors import AccountNotFound
from service.stripe_gateway.port import ActionResult, check_sendable

DRY_RUN_MESSAGE = "dry run (no STRIPE_API_KEY): recorded, not sent to Stripe"


class DryRunGateway:
    """StripeGateway that sends nothing; it knows only the accounts it has been shown.

    `sent` lists every action that would have gone to Stripe, in order (tests use it as a fake).
    """

    def __init__(self, accounts: Iterable[dict[str, Any]] = ()) -> None:
        self._accounts: dict[str, dict[str, Any]] = {}
        self.sent: list[PlannedAction] = []
        for account in accounts:
            self.remember_account(account)

    def remember_account(self, account: dict[str, Any]) -> None:
        """Keep a copy of an Account object (e.g. from an `account.updated` event)."""
        self._accounts[str(account["id"])] = copy.deepcopy(account)

    def retrieve_account(self, account_id: str) -> dict[str, Any]:
        """The last Account object shown for this id; AccountNotFound otherwise."""
        try:
            return copy.deepcopy(self._accounts[account_id])
        except KeyError:
            raise AccountNotFound(
                f"dry run: account {account_id} was never seen and Stripe is not called"
            ) from None

    def list_capabilities(self, account_id: str) -> list[dict[str, Any]]:
        """No Capability objects are known in dry-run; planning falls back to the account hash."""
        self.retrieve_account(account_id)
        return []

    def apply(self, action: PlannedAction) -> ActionResult:
        """Record the action; the result carries what would have been sent."""
        check_sendable(action)
        self.sent.append(action)
        return ActionResult(
            status="dry_run",
            idempotency_key=action.idempotency_key,
            message=DRY_RUN_MESSAGE,
            response_excerpt={"would_send": copy.deepcopy(dict(action.params))},
        )
