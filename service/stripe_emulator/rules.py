"""What Stripe refuses per account type and controller, and the 2026-10-28.endive spec deltas.

Refusals (also in this package's README.md):
- payout-schedule and capability changes need `controller.is_controller == true`: otherwise 403
  `invalid_request_error` (Stripe's permission error; the SDK raises `PermissionError`);
- reject needs a controller (403 as above) and `controller.losses.payments == "application"`:
  otherwise 400 `invalid_request_error` (Standard accounts can never be rejected);
- un-requesting a permanent capability is 400 `invalid_request_error`: `transfers` once requested on
  accounts with the Express dashboard, `card_payments` on accounts with the full Stripe dashboard.
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import StripeError, permission_denied

API_VERSION = "2026-10-28.endive"

REJECT_REASONS = (
    "credit",
    "fraud_no_intent_to_fulfill",
    "fraud_other",
    "fraud_payment_method_casher",
    "fraud_payment_method_tester",
    "other",
    "terms_of_service",
)
ENDIVE_CAPABILITIES = (
    "blik_recurring_payments",
    "paypay_payments",
    "sequra_payments",
    "wero_payments",
)
ENDIVE_REQUIREMENT_ERROR_CODES = (
    "invalid_address_cmra_address",
    "invalid_address_registered_agent_address",
    "invalid_url_length",
)
ACCOUNTS_PATH = "/v1/accounts"
ACCOUNT_PATH = "/v1/accounts/{account}"
REJECT_PATH = "/v1/accounts/{account}/reject"


def endive_request_schema(path: str, method: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The request schema of an operation with the endive deltas (FACTS §0) applied."""
    patched = copy.deepcopy(schema)
    props = patched.get("properties", {})
    if (path, method) == (REJECT_PATH, "post") and "reason" in props:
        props["reason"] = {"type": "string", "maxLength": 5000, "enum": list(REJECT_REASONS)}
    if (path, method) in {(ACCOUNTS_PATH, "post"), (ACCOUNT_PATH, "post")}:
        _add_account_params(props)
    return patched


def _add_account_params(props: dict[str, Any]) -> None:
    capabilities = props.get("capabilities", {}).get("properties")
    if capabilities and "card_payments" in capabilities:
        for name in ENDIVE_CAPABILITIES:
            capabilities.setdefault(name, copy.deepcopy(capabilities["card_payments"]))
    settings = props.get("settings", {}).get("properties")
    if settings is not None:
        settings.setdefault("paypay_payments", {"type": "object"})
    profile = props.get("business_profile", {}).get("properties")
    if profile is not None:
        profile.setdefault(
            "specified_commercial_transactions_act_url",
            {"anyOf": [{"type": "string", "maxLength": 5000}, {"type": "string", "enum": [""]}]},
        )
    company = props.get("company", {}).get("properties")
    if company and "address" in company:
        company.setdefault("physical_address", copy.deepcopy(company["address"]))
    documents = props.get("documents", {}).get("properties")
    if documents and "proof_of_registration" in documents:
        documents.setdefault(
            "proof_of_business_presence", copy.deepcopy(documents["proof_of_registration"])
        )
    if "external_account" in props:
        # The public spec types it as a token string; the API and the SDK also take a hash.
        token = props["external_account"]
        props["external_account"] = {"anyOf": [token, {"type": "object"}]}


def endive_components(components: dict[str, Any]) -> dict[str, Any]:
    """Response component schemas with the endive additions (new requirement error codes)."""
    patched = dict(components)
    error = copy.deepcopy(patched.get("account_requirements_error", {}))
    code = error.get("properties", {}).get("code")
    if code and "enum" in code:
        code["enum"] = [*code["enum"], *ENDIVE_REQUIREMENT_ERROR_CODES]
        patched["account_requirements_error"] = error
    return patched


def capability_names(account_capabilities_schema: dict[str, Any]) -> frozenset[str]:
    """Every capability name the pinned version knows (spec names plus endive additions)."""
    return frozenset(account_capabilities_schema.get("properties", {})) | set(ENDIVE_CAPABILITIES)


def controls(account: dict[str, Any]) -> bool:
    """Whether this platform controls the account and may use platform controls."""
    controller = account.get("controller") or {}
    return controller.get("is_controller") is True


def dashboard(account: dict[str, Any]) -> str:
    """The account's dashboard kind (`full`, `express`, `none`), inferred from type if absent."""
    controller = account.get("controller") or {}
    kind = (controller.get("stripe_dashboard") or {}).get("type")
    if kind:
        return str(kind)
    return {"standard": "full", "express": "express", "custom": "none"}.get(
        str(account.get("type")), "full"
    )


def check_update_allowed(account: dict[str, Any], params: dict[str, Any]) -> None:
    """Raise what Stripe answers when the platform may not make this update."""
    payouts = (params.get("settings") or {}).get("payouts") or {}
    if isinstance(payouts, dict) and "schedule" in payouts and not controls(account):
        raise permission_denied(
            account["id"], "change the payout schedule", "settings[payouts][schedule]"
        )
    if params.get("capabilities") and not controls(account):
        raise permission_denied(account["id"], "change capabilities", "capabilities")


def check_capability_change_allowed(account: dict[str, Any]) -> None:
    """Raise 403 unless the platform controls the account."""
    if not controls(account):
        raise permission_denied(account["id"], "change capabilities", "requested")


def is_permanent(account: dict[str, Any], capability: str) -> bool:
    """Whether a requested capability can no longer be removed on this kind of account."""
    kind = dashboard(account)
    return (kind == "express" and capability == "transfers") or (
        kind == "full" and capability == "card_payments"
    )


def permanent_capability_error(capability: str, param: str) -> StripeError:
    """400 for an attempt to un-request a permanent capability."""
    return StripeError(
        400,
        f"The '{capability}' capability is permanent on this account once requested and "
        "cannot be removed.",
        param=param,
    )


def check_reject_allowed(account: dict[str, Any]) -> None:
    """Raise unless the platform controls the account and is liable for its losses."""
    if not controls(account):
        raise permission_denied(account["id"], "reject the account", None)
    losses = ((account.get("controller") or {}).get("losses") or {}).get("payments")
    if losses != "application":
        raise StripeError(
            400,
            "Only accounts where your platform is liable for negative balances "
            "(controller.losses.payments = application), which includes Custom and Express "
            f"accounts, can be rejected; account '{account['id']}' has "
            f"controller.losses.payments = {losses or 'stripe'}.",
            param="account",
        )
    if str((account.get("requirements") or {}).get("disabled_reason", "")).startswith("rejected."):
        raise StripeError(400, f"Account '{account['id']}' has already been rejected.")


def rejected_reason(reason: str) -> str:
    """`requirements.disabled_reason` after a platform rejection with this reason code."""
    if reason.startswith("fraud"):
        return "rejected.platform_fraud"
    if reason == "terms_of_service":
        return "rejected.platform_terms_of_service"
    return "rejected.platform_other"


def check_controller_params(params: dict[str, Any]) -> None:
    """Raise what Stripe answers for contradictory account-creation controller settings."""
    controller = params.get("controller")
    if controller and params.get("type"):
        raise StripeError(
            400, "You cannot specify both `type` and `controller`.", param="controller"
        )
    if not controller:
        return
    losses = (controller.get("losses") or {}).get("payments", "stripe")
    board = (controller.get("stripe_dashboard") or {}).get("type", "full")
    payer = (controller.get("fees") or {}).get("payer", "account")
    if controller.get("requirement_collection") == "application" and (
        losses != "application" or board != "none"
    ):
        raise StripeError(
            400,
            "controller[requirement_collection]=application requires "
            "controller[losses][payments]=application and controller[stripe_dashboard][type]=none.",
            param="controller[requirement_collection]",
        )
    if losses == "stripe" and payer != "account":
        raise StripeError(
            400,
            "controller[losses][payments]=stripe requires controller[fees][payer]=account.",
            param="controller[losses][payments]",
        )
