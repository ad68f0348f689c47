"""Render a provider's onboarding state as Stripe's requirements, verification and capabilities.

Only states Stripe shows during onboarding appear (currently/eventually/past due, pending
verification, errors, `requirements.*` and `under_review` disabled reasons); `rejected.*`
never does, because the account object is captured at the onboarding review.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from training.synth.choice import pick, randint, uniform
from training.synth.config import DAY
from training.synth.countries import COUNTRY_BY_CODE
from training.synth.provider import ProviderPlan


@dataclass(frozen=True)
class Issue:
    """A verification problem, in each of the places Stripe reports it."""

    code: str  # requirements.errors[].code
    reason: str
    field: str  # requirement suffix after "individual." / "representative." / "company."
    person_code: str | None  # individual.verification.details_code
    document_code: str | None  # verification.document.details_code


VERIFICATION_ISSUES: dict[str, Issue] = {
    "document_expired": Issue(
        "verification_document_expired",
        "The document has expired.",
        "verification.document",
        None,
        "document_expired",
    ),
    "name_mismatch": Issue(
        "verification_document_name_mismatch",
        "The name on the document does not match the account details.",
        "verification.document",
        "document_name_mismatch",
        None,
    ),
    "address_mismatch": Issue(
        "verification_failed_address_match",
        "The address could not be verified.",
        "address.line1",
        "document_address_mismatch",
        None,
    ),
    "keyed_identity": Issue(
        "verification_failed_keyed_identity",
        "The identity information could not be verified.",
        "id_number",
        "failed_keyed_identity",
        None,
    ),
    "id_number_mismatch": Issue(
        "verification_document_id_number_mismatch",
        "The ID number on the document does not match.",
        "verification.document",
        "document_id_number_mismatch",
        None,
    ),
    "tax_id_mismatch": Issue(
        "verification_failed_tax_id_match",
        "The tax ID does not match the business name.",
        "tax_id",
        None,
        None,
    ),
    "document_manipulated": Issue(
        "verification_document_manipulated",
        "The document appears to have been altered.",
        "verification.document",
        "failed_other",
        "document_manipulated",
    ),
    "document_fraudulent": Issue(
        "verification_document_fraudulent",
        "The document could not be accepted.",
        "verification.document",
        "failed_other",
        "document_fraudulent",
    ),
    "url_mismatch": Issue(
        "invalid_url_website_business_information_mismatch",
        "The website does not match the business information.",
        "url",
        None,
        None,
    ),
    "url_inaccessible": Issue(
        "invalid_url_website_inaccessible", "The website could not be reached.", "url", None, None
    ),
}
_LATER_FIELDS = {
    "individual": (
        "individual.id_number",
        "individual.verification.document",
        "individual.verification.additional_document",
    ),
    "company": (
        "company.tax_id",
        "company.owners_provided",
        "company.directors_provided",
        "representative.verification.document",
        "owners.email",
    ),
}
_SOON_FIELDS = {
    "individual": (
        "individual.phone",
        "individual.address.line1",
        "business_profile.url",
        "external_account",
    ),
    "company": (
        "company.phone",
        "representative.phone",
        "business_profile.url",
        "company.address.line1",
        "external_account",
    ),
}


def entity_prefix(plan: ProviderPlan) -> str:
    """The requirement prefix of the account's legal entity ("individual" or "company")."""
    return "individual" if plan.business_type == "individual" else "company"


def _requirement(issue: Issue, entity: str) -> str:
    if issue.field == "url":
        return "business_profile.url"
    if issue.field == "tax_id":
        return "company.tax_id" if entity == "company" else "individual.id_number"
    person = "individual" if entity == "individual" else "representative"
    return f"{person}.{issue.field}"


def requirements_state(plan: ProviderPlan, rng: np.random.Generator) -> dict[str, Any]:
    """`requirements`, `future_requirements`, enablement flags and verification details."""
    state = plan.onboarding
    entity = entity_prefix(plan)
    later = _LATER_FIELDS[entity]
    eventually = [f for f in later if rng.random() < 0.3]
    currently: list[str] = []
    if rng.random() < 0.2:
        currently = sorted({pick(rng, _SOON_FIELDS[entity]) for _ in range(randint(rng, 1, 3))})
    errors = []
    issue = VERIFICATION_ISSUES[state.verification_issue] if state.verification_issue else None
    if issue is not None:
        field = _requirement(issue, entity)
        errors.append({"code": issue.code, "reason": issue.reason, "requirement": field})
        currently = sorted({*currently, field})
    past_due = list(currently) if state.past_due and currently else []
    if state.past_due and not past_due:
        past_due = [pick(rng, _SOON_FIELDS[entity])]
        currently = sorted({*currently, *past_due})
    pending = (
        [f"{'individual' if entity == 'individual' else 'company'}.verification.document"]
        if state.pending_verification
        else []
    )
    eventually = sorted({*eventually, *currently})
    disabled = None
    if past_due:
        disabled = "requirements.past_due"
    elif state.under_review:
        disabled = "under_review"
    elif pending and rng.random() < 0.4:
        disabled = "requirements.pending_verification"
    deadline = plan.created + int(uniform(rng, 7, 30) * DAY) if currently and not past_due else None
    future_due = [pick(rng, later)] if rng.random() < 0.2 else []
    return {
        "requirements": {
            "alternatives": [],
            "current_deadline": deadline,
            "currently_due": currently,
            "disabled_reason": disabled,
            "errors": errors,
            "eventually_due": eventually,
            "past_due": past_due,
            "pending_verification": pending,
        },
        "future_requirements": {
            "alternatives": [],
            "current_deadline": plan.created + int(uniform(rng, 60, 240) * DAY)
            if future_due
            else None,
            "currently_due": [],
            "disabled_reason": None,
            "errors": [],
            "eventually_due": future_due,
            "past_due": [],
            "pending_verification": [],
        },
        "issue": issue,
        "disabled": disabled,
    }


def capabilities(
    plan: ProviderPlan, disabled: str | None, rng: np.random.Generator
) -> dict[str, str]:
    """Capability statuses: card payments and transfers follow the disabled reason."""
    core = "active"
    if disabled == "requirements.past_due":
        core = "inactive"
    elif disabled is not None:
        core = "pending"
    caps = {"card_payments": core, "transfers": core}
    for name in COUNTRY_BY_CODE[plan.country].capabilities:
        if rng.random() < 0.55:
            caps[name] = (
                core if core != "active" else ("active" if rng.random() < 0.9 else "pending")
            )
    return dict(sorted(caps.items()))
