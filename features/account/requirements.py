"""Requirements, verification errors and disabled reasons of a Stripe Account object."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from features.account._access import NAN, dig, mappings, number, strings
from features.spec import FeatureSpec, FeatureType, Monotone

REQUIREMENT_KINDS = (
    "documents",
    "identity",
    "company",
    "tax_id",
    "business_profile",
    "external_account",
    "tos",
)
ERROR_GROUPS = ("document_fraud", "mismatch", "tax_id", "website", "other")

_PERSON_PREFIXES = (
    "individual.",
    "representative.",
    "person_",
    "owners.",
    "directors.",
    "executives.",
    "relationship.",
)

# The platform's own rejections and pauses are decisions (labels, or this service's actions),
# not evidence about the provider: reading them back would leak the outcome into training.
_PLATFORM_DECISIONS = frozenset(
    {
        "platform_paused",
        "rejected.platform_fraud",
        "rejected.platform_other",
        "rejected.platform_terms_of_service",
    }
)
_AWAITING_PROVIDER = frozenset(
    {
        "requirements.past_due",
        "requirements.pending_verification",
        "action_required.requested_capabilities",
    }
)


def requirement_kind(field: str) -> str:
    """The kind of information a requirement path such as `individual.dob.day` asks for."""
    if "verification.document" in field or "verification.additional_document" in field:
        return "documents"
    if field.startswith("documents.") or "proof_of" in field:
        return "documents"
    if "tax_id" in field or "vat_id" in field:
        return "tax_id"
    if field.startswith(_PERSON_PREFIXES):
        return "identity"
    if field.startswith("company."):
        return "company"
    if field.startswith("business_profile."):
        return "business_profile"
    if field.startswith("external_account"):
        return "external_account"
    if field.startswith("tos_acceptance"):
        return "tos"
    return "other"


def error_group(code: str) -> str:
    """Group a Stripe requirement error code or verification details code for counting."""
    if "fraudulent" in code or "manipulated" in code:
        return "document_fraud"
    if "tax_id" in code:
        return "tax_id"
    if code.startswith("invalid_url") or "_url_" in code:
        return "website"
    if "mismatch" in code or code.endswith("_match") or "keyed_identity" in code:
        return "mismatch"
    return "other"


def disabled_reason_level(reason: Any) -> float:
    """0 enabled (or disabled by the platform itself), 1 awaiting the provider, 2 under review or
    listed, 3 rejected by Stripe."""
    if not isinstance(reason, str) or not reason or reason in _PLATFORM_DECISIONS:
        return 0.0
    if reason in _AWAITING_PROVIDER:
        return 1.0
    if reason.startswith("rejected."):
        return 3.0
    return 2.0


def _verification_codes(account: Mapping[str, Any]) -> list[str]:
    codes = [
        dig(account, "individual", "verification", "details_code"),
        dig(account, "individual", "verification", "document", "details_code"),
        dig(account, "individual", "verification", "additional_document", "details_code"),
        dig(account, "company", "verification", "document", "details_code"),
    ]
    for block in ("requirements", "future_requirements"):
        codes.extend(error.get("code") for error in mappings(dig(account, block, "errors")))
    return [code for code in codes if isinstance(code, str) and code]


_DEADLINE = "requirements_deadline_days"


def requirements_deadline_days(account: Mapping[str, Any], as_of: int) -> float:
    """Days from `as_of` to `requirements.current_deadline`; NaN without one."""
    requirements = account.get("requirements")
    if not isinstance(requirements, Mapping):
        return NAN
    deadline = number(requirements.get("current_deadline"))
    return (deadline - as_of) / 86400.0 if deadline is not None else NAN


def requirements_features(account: Mapping[str, Any]) -> dict[str, float]:
    """Counts of due/past-due fields by kind, error-code groups and the disabled-reason class
    (everything but the deadline, which depends on the instant: `requirements_deadline_days`).

    Everything is NaN when the account carries no `requirements` hash (Stripe omits it for some
    accounts the platform does not control).
    """
    out = {"individual_verification_status": _individual_status(account)}
    requirements = account.get("requirements")
    if not isinstance(requirements, Mapping):
        names = (spec.name for spec in REQUIREMENTS_FEATURES if spec.name != _DEADLINE)
        return dict.fromkeys(names, NAN) | out
    currently_due = strings(requirements.get("currently_due"))
    past_due = strings(requirements.get("past_due"))
    kinds = [requirement_kind(field) for field in set(currently_due) | set(past_due)]
    groups = [error_group(code) for code in _verification_codes(account)]
    reason = requirements.get("disabled_reason")
    future_due = strings(dig(account, "future_requirements", "eventually_due"))
    out |= {
        "requirements_currently_due_count": float(len(currently_due)),
        "requirements_eventually_due_count": float(
            len(strings(requirements.get("eventually_due")))
        ),
        "requirements_past_due_count": float(len(past_due)),
        "requirements_pending_verification_count": float(
            len(strings(requirements.get("pending_verification")))
        ),
        "future_requirements_eventually_due_count": float(len(future_due)),
        "disabled_reason_level": disabled_reason_level(reason),
        "disabled_under_review": 1.0 if reason == "under_review" else 0.0,
        "disabled_listed": 1.0 if reason in ("listed", "rejected.listed") else 0.0,
    }
    out |= {f"requirements_due_{kind}": float(kinds.count(kind)) for kind in REQUIREMENT_KINDS}
    out |= {f"verification_errors_{group}": float(groups.count(group)) for group in ERROR_GROUPS}
    return out


def _individual_status(account: Mapping[str, Any]) -> float:
    status = dig(account, "individual", "verification", "status")
    return {"verified": 0.0, "pending": 1.0, "unverified": 2.0}.get(status, NAN)


def _spec(name: str, type_: FeatureType, monotone: Monotone, description: str) -> FeatureSpec:
    return FeatureSpec(name, type_, "account", monotone, description)


REQUIREMENTS_FEATURES: tuple[FeatureSpec, ...] = (
    _spec("requirements_currently_due_count", "int", 1, "Fields Stripe needs now (currently_due)."),
    _spec(
        "requirements_eventually_due_count", "int", 0, "Fields Stripe will need (eventually_due)."
    ),
    _spec("requirements_past_due_count", "int", 1, "Fields past their deadline (past_due)."),
    _spec(
        "requirements_pending_verification_count",
        "int",
        0,
        "Fields submitted and still being verified (pending_verification).",
    ),
    _spec(
        "future_requirements_eventually_due_count",
        "int",
        0,
        "Fields upcoming requirement changes will ask for (future_requirements.eventually_due).",
    ),
    _spec(
        "requirements_deadline_days",
        "float",
        0,
        "Days from as_of to requirements.current_deadline; NaN when there is no deadline.",
    ),
    _spec(
        "disabled_reason_level",
        "int",
        1,
        "requirements.disabled_reason class: 0 none, 1 awaiting the provider, 2 under review or "
        "listed, 3 rejected by Stripe. The platform's own rejections and pauses count as 0.",
    ),
    _spec("disabled_under_review", "bool", 1, "Disabled because Stripe is reviewing the account."),
    _spec("disabled_listed", "bool", 1, "Disabled because the provider matched a watch list."),
    _spec(
        "individual_verification_status",
        "int",
        1,
        "individual.verification.status: 0 verified, 1 pending, 2 unverified; NaN when absent.",
    ),
    *(
        _spec(
            f"requirements_due_{kind}",
            "int",
            1 if kind in ("documents", "identity", "tax_id") else 0,
            f"Currently due or past-due requirement fields asking for {kind.replace('_', ' ')}.",
        )
        for kind in REQUIREMENT_KINDS
    ),
    *(
        _spec(
            f"verification_errors_{group}",
            "int",
            0 if group == "other" else 1,
            f"Requirement errors and verification details codes in the {group.replace('_', ' ')} "
            "group (requirements, future_requirements, individual and company verification).",
        )
        for group in ERROR_GROUPS
    ),
)
