"""Render the legal entity behind an account: the `individual` Person or the `company` hash."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np

from training.synth.ids import random_id
from training.synth.plan import Address, DocumentKind
from training.synth.provider import ProviderPlan


def _address(address: Address) -> dict[str, Any]:
    return {
        "city": address.city,
        "country": address.country,
        "line1": address.line1,
        "line2": None,
        "postal_code": address.postal_code,
        "state": address.state,
    }


def _document(uploaded: bool, rng: np.random.Generator, code: str | None) -> dict[str, Any]:
    front = random_id(rng, "file_", 24) if uploaded else None
    details = "The document could not be verified." if code else None
    return {"back": None, "details": details, "details_code": code, "front": front}


def individual(
    plan: ProviderPlan,
    state: dict[str, Any],
    kinds: Collection[DocumentKind],
    rng: np.random.Generator,
) -> dict[str, Any]:
    """The account's `individual` (a Person object) for sole traders."""
    person = plan.business.representative
    issue = state["issue"]
    status = "verified"
    if issue is not None and (issue.person_code or issue.document_code):
        status = "unverified"
    elif state["requirements"]["pending_verification"]:
        status = "pending"
    req = state["requirements"]
    mine = [f for f in req["currently_due"] if f.startswith("individual.")]
    year, month, day = person.dob
    return {
        "id": random_id(rng, "person_", 24),
        "object": "person",
        "account": plan.account_id,
        "address": _address(plan.business.address),
        "created": plan.created,
        "dob": {"day": day, "month": month, "year": year},
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "id_number_provided": rng.random() < 0.8,
        "metadata": {},
        "phone": person.phone,
        "political_exposure": "none",
        "relationship": {
            "director": False,
            "executive": False,
            "owner": True,
            "percent_ownership": None,
            "representative": True,
            "title": None,
        },
        "requirements": {
            "alternatives": [],
            "currently_due": mine,
            "errors": [e for e in req["errors"] if e["requirement"].startswith("individual.")],
            "eventually_due": [f for f in req["eventually_due"] if f.startswith("individual.")],
            "past_due": [f for f in req["past_due"] if f.startswith("individual.")],
            "pending_verification": [
                f for f in req["pending_verification"] if f.startswith("individual.")
            ],
        },
        "ssn_last_4_provided": plan.country == "US",
        "verification": {
            "additional_document": _document(DocumentKind.PROOF_OF_ADDRESS in kinds, rng, None),
            "details": "Provided identity information could not be verified"
            if status == "unverified"
            else None,
            "details_code": issue.person_code if issue is not None else None,
            "document": _document(
                DocumentKind.IDENTITY_SCAN in kinds,
                rng,
                issue.document_code if issue is not None else None,
            ),
            "status": status,
        },
    }


def company(
    plan: ProviderPlan,
    state: dict[str, Any],
    kinds: Collection[DocumentKind],
    rng: np.random.Generator,
) -> dict[str, Any]:
    """The account's `company` hash for companies, non-profits and government entities."""
    b = plan.business
    issue = state["issue"]
    founded = np.datetime64(b.incorporated_on, "s").astype(object)
    return {
        "address": _address(b.address),
        "directors_provided": rng.random() < 0.8,
        "executives_provided": rng.random() < 0.7,
        "name": b.legal_name,
        "owners_provided": rng.random() < 0.85,
        "phone": b.phone,
        "registration_date": {"day": founded.day, "month": founded.month, "year": founded.year},
        "structure": plan.structure,
        "tax_id_provided": bool(b.tax_id),
        "verification": {
            "document": _document(
                DocumentKind.REGISTRATION_CERTIFICATE in kinds,
                rng,
                issue.document_code if issue is not None else None,
            )
        },
    }
