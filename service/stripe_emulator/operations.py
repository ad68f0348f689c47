"""The Accounts and Capabilities endpoints: Stripe's rules applied to the emulator's state.

Each operation takes validated parameters and returns an `Outcome`: the response body, the write
it wants (a `Change`, stored by `commit` only once the answer has passed the spec check) and the
events to send. Errors are raised as `StripeError`, before anything is written.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from . import capabilities as caps
from . import rules
from .errors import StripeError, resource_missing
from .merge import apply_params
from .objects import IdFactory, new_account
from .state import EmulatorState
from .webhooks import previous_attributes


@dataclass
class Change:
    """An account write an operation wants: the new account, its capability states and its
    rejection snapshot (a dict to set, None to clear, False to keep)."""

    account: dict[str, Any]
    metas: dict[str, dict[str, Any]]
    rejection: dict[str, Any] | None | bool = False


@dataclass
class Outcome:
    """A successful answer and its side effects, none of them applied yet."""

    body: dict[str, Any]
    change: Change | None = None
    capabilities: list[str] = field(default_factory=list)
    events: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    reviews: list[tuple[str, str]] = field(default_factory=list)


class AccountOperations:
    """Create, read, update, reject accounts and their capabilities."""

    def __init__(
        self,
        state: EmulatorState,
        templates: dict[str, Any],
        capability_names: frozenset[str],
        ids: IdFactory,
    ) -> None:
        self.state = state
        self.templates = templates
        self.capability_names = capability_names
        self.ids = ids

    def _account(self, account_id: str) -> dict[str, Any]:
        account = self.state.account(account_id)
        if account is None:
            raise resource_missing("account", account_id, "account")
        return account

    def _capability(
        self,
        account: dict[str, Any],
        name: str,
        metas: dict[str, dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The Capability object, from the stored capability states unless metas are given."""
        if metas is None:
            metas = self.state.capability_metas(account["id"])
        meta = caps.meta_for(account, metas, name)
        return caps.capability_object(account, name, meta, self.templates["capability"])

    def create(self, params: dict[str, Any], now: int) -> Outcome:
        """`POST /v1/accounts`."""
        rules.check_controller_params(params)
        account = new_account(self.templates["account"], params, self.ids.account(), now)
        account = apply_params(
            account, params, now=now, new_id=self.ids.new, templates=self.templates
        )
        metas: dict[str, dict[str, Any]] = {}
        reviews = []
        for name, wanted in sorted((params.get("capabilities") or {}).items()):
            _, review = caps.set_requested(account, metas, name, bool(wanted.get("requested")), now)
            if review:
                reviews.append((account["id"], name))
        return Outcome(copy.deepcopy(account), Change(account, metas), reviews=reviews)

    def commit(self, outcome: Outcome) -> bool:
        """Store the write an outcome carries; whether there was one."""
        change = outcome.change
        if change is None:
            return False
        self.state.commit(change.account, change.metas, change.rejection)
        return True

    def retrieve(self, account_id: str) -> Outcome:
        """`GET /v1/accounts/{account}`."""
        return Outcome(copy.deepcopy(self._account(account_id)))

    def list_accounts(self, params: dict[str, Any]) -> Outcome:
        """`GET /v1/accounts`, newest first, with `limit` and `starting_after` paging."""
        accounts = sorted(self.state.accounts.values(), key=lambda a: -int(a.get("created") or 0))
        after = params.get("starting_after")
        if after:
            ids = [a["id"] for a in accounts]
            if after not in ids:
                raise resource_missing("account", after, "starting_after")
            accounts = accounts[ids.index(after) + 1 :]
        limit = int(params.get("limit") or 10)
        page = accounts[:limit]
        body = {
            "object": "list",
            "data": copy.deepcopy(page),
            "has_more": len(accounts) > limit,
            "url": "/v1/accounts",
        }
        return Outcome(body)

    def update(self, account_id: str, params: dict[str, Any], now: int) -> Outcome:
        """`POST /v1/accounts/{account}`."""
        before = self._account(account_id)
        rules.check_update_allowed(before, params)
        metas = self.state.capability_metas(account_id)
        for name, wanted in (params.get("capabilities") or {}).items():
            if not wanted.get("requested", True) and self._removing_permanent(before, metas, name):
                raise rules.permanent_capability_error(name, f"capabilities[{name}][requested]")
        after = apply_params(before, params, now=now, new_id=self.ids.new, templates=self.templates)
        outcome = Outcome({})
        for name, wanted in sorted((params.get("capabilities") or {}).items()):
            if "requested" in wanted:
                self._request(after, metas, name, bool(wanted["requested"]), now, outcome)
        return self._finish(before, after, metas, outcome)

    def list_capabilities(self, account_id: str) -> Outcome:
        """`GET /v1/accounts/{account}/capabilities`."""
        account = self._account(account_id)
        metas = self.state.capability_metas(account_id)
        data = [self._capability(account, name) for name in caps.names(account, metas)]
        url = f"/v1/accounts/{account_id}/capabilities"
        return Outcome({"object": "list", "data": data, "has_more": False, "url": url})

    def retrieve_capability(self, account_id: str, name: str) -> Outcome:
        """`GET /v1/accounts/{account}/capabilities/{capability}`."""
        account = self._account(account_id)
        self._check_name(name)
        return Outcome(self._capability(account, name))

    def update_capability(
        self, account_id: str, name: str, params: dict[str, Any], now: int
    ) -> Outcome:
        """`POST /v1/accounts/{account}/capabilities/{capability}`."""
        before = self._account(account_id)
        self._check_name(name)
        if "requested" not in params:
            return Outcome(self._capability(before, name))
        rules.check_capability_change_allowed(before)
        metas = self.state.capability_metas(account_id)
        if not params["requested"] and self._removing_permanent(before, metas, name):
            raise rules.permanent_capability_error(name, "requested")
        after = copy.deepcopy(before)
        outcome = Outcome({})
        self._request(after, metas, name, bool(params["requested"]), now, outcome)
        self._finish(before, after, metas, outcome)
        outcome.body = self._capability(after, name, metas)
        return outcome

    def reject(self, account_id: str, params: dict[str, Any]) -> Outcome:
        """`POST /v1/accounts/{account}/reject` (endive reason codes; validated upstream)."""
        before = self._account(account_id)
        rules.check_reject_allowed(before)
        metas = self.state.capability_metas(account_id)
        snapshot = {
            "charges_enabled": before.get("charges_enabled"),
            "payouts_enabled": before.get("payouts_enabled"),
            "disabled_reason": (before.get("requirements") or {}).get("disabled_reason"),
            "capabilities": copy.deepcopy(before.get("capabilities")),
            "metas": copy.deepcopy(metas),
        }
        after = copy.deepcopy(before)
        requirements = after.get("requirements") or {}
        requirements["disabled_reason"] = rules.rejected_reason(str(params["reason"]))
        after["requirements"] = requirements
        after["charges_enabled"] = False
        if params.get("payouts_action", "pause") == "pause":
            after["payouts_enabled"] = False
        outcome = Outcome({})
        for name in caps.disable_all(after, metas):
            outcome.capabilities.append(name)
        return self._finish(before, after, metas, outcome, rejection=snapshot)

    def unreject(self, account_id: str) -> Outcome:
        """`POST /v1/accounts/{account}/unreject`: undo a rejection made by this platform."""
        before = self._account(account_id)
        snapshot = self.state.rejections.get(account_id)
        reason = str((before.get("requirements") or {}).get("disabled_reason") or "")
        if snapshot is None or not reason.startswith("rejected.platform_"):
            raise StripeError(
                400, "Only accounts that were rejected by your platform can be unrejected."
            )
        after = copy.deepcopy(before)
        after["charges_enabled"] = snapshot["charges_enabled"]
        after["payouts_enabled"] = snapshot["payouts_enabled"]
        after.setdefault("requirements", {})["disabled_reason"] = snapshot["disabled_reason"]
        after["capabilities"] = snapshot["capabilities"]
        metas = snapshot["metas"]
        outcome = Outcome({})
        for name in caps.names(after, metas):
            outcome.capabilities.append(name)
        return self._finish(before, after, metas, outcome, rejection=None)

    def review(self, account_id: str, name: str) -> Outcome:
        """Stripe finishing its review of a pending capability (not an API call)."""
        before = self._account(account_id)
        metas = self.state.capability_metas(account_id)
        after = copy.deepcopy(before)
        outcome = Outcome({})
        if caps.activate(after, metas, name):
            outcome.capabilities.append(name)
        return self._finish(before, after, metas, outcome)

    def _check_name(self, name: str) -> None:
        if name not in self.capability_names:
            raise resource_missing("capability", name, "capability")

    def _removing_permanent(
        self, account: dict[str, Any], metas: dict[str, dict[str, Any]], name: str
    ) -> bool:
        requested = caps.meta_for(account, metas, name)["requested"]
        return bool(requested) and rules.is_permanent(account, name)

    def _request(
        self,
        account: dict[str, Any],
        metas: dict[str, dict[str, Any]],
        name: str,
        requested: bool,
        now: int,
        outcome: Outcome,
    ) -> None:
        changed, review = caps.set_requested(account, metas, name, requested, now)
        if changed:
            outcome.capabilities.append(name)
        if review:
            outcome.reviews.append((account["id"], name))

    def _finish(
        self,
        before: dict[str, Any],
        after: dict[str, Any],
        metas: dict[str, dict[str, Any]],
        outcome: Outcome,
        rejection: dict[str, Any] | None | bool = False,
    ) -> Outcome:
        """Stage the write, and list the events: (type, object, previous_attributes) per changed
        object."""
        old_metas = self.state.capability_metas(before["id"])
        events: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        if after != before:
            events.append(
                ("account.updated", copy.deepcopy(after), previous_attributes(before, after))
            )
        for name in dict.fromkeys(outcome.capabilities):
            old = caps.capability_object(
                before, name, caps.meta_for(before, old_metas, name), self.templates["capability"]
            )
            new = caps.capability_object(
                after, name, caps.meta_for(after, metas, name), self.templates["capability"]
            )
            if old != new:
                events.append(("capability.updated", new, previous_attributes(old, new)))
        if after != before or metas != old_metas or rejection is not False:
            outcome.change = Change(after, metas, rejection)
        outcome.events = events
        if not outcome.body:
            outcome.body = copy.deepcopy(after)
        return outcome
