"""Decide which documents a provider uploads at onboarding, and how each one was made.

Honest documents come from issuers' portals, scanners and office software, sometimes drift
from the account (a trading name, an old address) and are sometimes edited by their owner.
Forgers show other identities and leave editing traces, but each forged file shows only some
of them; forgeries re-typed in office software or printed and scanned show none.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from training.synth.choice import randint, uniform, weighted_choice
from training.synth.config import DAY
from training.synth.filenames import draw_filename, unique_name
from training.synth.identity import YEAR, draw_address, slug
from training.synth.names import BUSINESS_WORDS, LOCALES, fill_pattern
from training.synth.plan import (
    Breakage,
    DocumentKind,
    DocumentSpec,
    Identity,
    ProducerClass,
    Tamper,
)
from training.synth.provider import ProviderPlan, identity_of

K, P = DocumentKind, ProducerClass
_COMPANY_KINDS = {
    K.REGISTRATION_CERTIFICATE: 0.8,
    K.TAX_ID_LETTER: 0.5,
    K.BANK_STATEMENT: 0.6,
    K.PROOF_OF_ADDRESS: 0.35,
    K.IDENTITY_SCAN: 0.5,
}
KIND_RATES: dict[str, dict[DocumentKind, float]] = {
    "individual": {
        K.IDENTITY_SCAN: 0.75,
        K.PROOF_OF_ADDRESS: 0.5,
        K.BANK_STATEMENT: 0.4,
        K.TAX_ID_LETTER: 0.2,
    },
    "company": _COMPANY_KINDS,
    "non_profit": {k: 0.8 * v for k, v in _COMPANY_KINDS.items()},
    "government_entity": {K.TAX_ID_LETTER: 0.4, K.BANK_STATEMENT: 0.3, K.PROOF_OF_ADDRESS: 0.2},
}
PRODUCERS: dict[DocumentKind, dict[ProducerClass, float]] = {
    K.REGISTRATION_CERTIFICATE: {P.GENERATOR: 0.6, P.SCANNER: 0.25, P.OFFICE: 0.1, P.EDITOR: 0.05},
    K.TAX_ID_LETTER: {P.GENERATOR: 0.5, P.SCANNER: 0.4, P.OFFICE: 0.1},
    K.BANK_STATEMENT: {P.GENERATOR: 0.78, P.SCANNER: 0.15, P.OFFICE: 0.02, P.EDITOR: 0.05},
    K.PROOF_OF_ADDRESS: {P.GENERATOR: 0.65, P.SCANNER: 0.27, P.EDITOR: 0.08},
    K.IDENTITY_SCAN: {P.SCANNER: 0.7, P.GENERATOR: 0.22, P.EDITOR: 0.08},
}
_FORGER_PRODUCERS = {P.EDITOR: 0.55, P.OFFICE: 0.25, P.GENERATOR: 0.1, P.SCANNER: 0.1}
_FORGER_TRACES = {
    Tamper.INCREMENTAL_EDIT: 0.5,
    Tamper.TOUCHUP_TEXT_EDIT: 0.35,
    Tamper.MIXED_FONTS: 0.35,
    Tamper.INFO_XMP_MISMATCH: 0.3,
    Tamper.TRAILER_ID_MISMATCH: 0.3,
    Tamper.MODIFIED_AFTER_CREATION: 0.5,
}
# An owner annotating, signing or fixing a typo in their own file leaves traces too.
_HONEST_TRACES = (
    (Tamper.INFO_XMP_MISMATCH, 0.3),
    (Tamper.TOUCHUP_TEXT_EDIT, 0.1),
    (Tamper.MIXED_FONTS, 0.1),
    (Tamper.TRAILER_ID_MISMATCH, 0.1),
)
_FORGED_FIELDS = (
    "legal_name",
    "registration_number",
    "tax_id",
    "address",
    "bank_last4",
    "incorporated_on",
)
_BREAKAGE = {Breakage.TRUNCATED: 0.5, Breakage.EMPTY: 0.2, Breakage.NOT_PDF: 0.3}
BREAKAGE_RATE = 0.01
_SUFFIX_VARIANTS = {
    "Limited": "Ltd",
    "Ltd": "Limited",
    "Inc.": "Incorporated",
    "LLC": "L.L.C.",
    "Pty Ltd": "Pty. Limited",
    "GmbH": "G.m.b.H.",
    "B.V.": "BV",
}


def _issued_on(kind: DocumentKind, plan: ProviderPlan, rng: np.random.Generator) -> int:
    created, founded = plan.created, plan.business.incorporated_on
    if kind is K.REGISTRATION_CERTIFICATE:
        return founded if rng.random() < 0.6 else randint(rng, founded, created - DAY + 1)
    if kind is K.TAX_ID_LETTER:
        return min(created - DAY, founded + int(uniform(rng, 5, 60) * DAY))
    if kind is K.BANK_STATEMENT:
        month_start = np.datetime64(created - int(uniform(rng, 1, 40) * DAY), "s").astype(
            "datetime64[M]"
        )
        return int((month_start.astype("datetime64[s]") - np.timedelta64(1, "s")).astype(int))
    if kind is K.PROOF_OF_ADDRESS:
        return created - int(uniform(rng, 5, 80) * DAY)
    return created - int(uniform(rng, 0.1, 9) * YEAR)


def _created_at(issued: int, plan: ProviderPlan, scanned: bool, rng: np.random.Generator) -> int:
    latest = plan.created - 600
    earliest = max(issued, plan.created - (14 if scanned else 90) * DAY)
    return randint(rng, min(earliest, latest - 1), latest)


def _honest_drift(shown: Identity, plan: ProviderPlan, rng: np.random.Generator) -> Identity:
    """One honest difference: trading name, suffix spelling, an old address, spacing."""
    choice = randint(rng, 0, 4)
    if choice == 0 and plan.business_type != "individual":
        return dataclasses.replace(shown, legal_name=plan.business.trading_name)
    if choice == 1:
        words = shown.legal_name.rsplit(" ", 1)
        if len(words) == 2 and words[1] in _SUFFIX_VARIANTS:
            return dataclasses.replace(shown, legal_name=f"{words[0]} {_SUFFIX_VARIANTS[words[1]]}")
    if choice == 2:
        old = draw_address(rng, plan.country)
        return dataclasses.replace(
            shown,
            address=dataclasses.replace(old, city=shown.address.city, state=shown.address.state),
        )
    return dataclasses.replace(
        shown, registration_number=shown.registration_number.replace(" ", "")
    )


def _forge(shown: Identity, plan: ProviderPlan, rng: np.random.Generator) -> Identity:
    """Show someone else's or an improved identity in one or two fields."""
    locale = LOCALES[plan.country]
    changes: dict[str, Any] = {}
    for name in rng.choice(_FORGED_FIELDS, size=randint(rng, 1, 3), replace=False):
        if name == "legal_name":
            suffix = shown.legal_name.rsplit(" ", 1)[-1]
            changes[name] = f"{BUSINESS_WORDS[randint(rng, 0, len(BUSINESS_WORDS))]} {suffix}"
        elif name == "registration_number":
            changes[name] = fill_pattern(locale.registration_pattern, rng)
        elif name == "tax_id":
            changes[name] = fill_pattern(locale.tax_id_pattern, rng)
        elif name == "address":
            changes[name] = draw_address(rng, plan.country)
        elif name == "bank_last4":
            changes[name] = fill_pattern("####", rng)
        else:
            changes[name] = shown.incorporated_on - int(uniform(rng, 2, 10) * YEAR)
    return dataclasses.replace(shown, **changes)


def _statement_totals(
    plan: ProviderPlan, forged: bool, rng: np.random.Generator
) -> tuple[int, int, int]:
    t = plan.traits
    credits = max(1000.0, t.daily_rate * 30 * t.ticket * rng.lognormal(0, 0.5))
    opening = credits * uniform(rng, 0.2, 3.0)
    closing = max(0.0, opening + credits - credits * uniform(rng, 0.6, 1.1))
    if forged and rng.random() < 0.6:
        credits *= uniform(rng, 2, 10)
        # Inflated credits the closing balance does not reflect: the sums no longer add up.
        if rng.random() < 0.5:
            closing = opening + credits * uniform(rng, 1.05, 1.5)
    return int(opening), int(closing), int(credits)


def draw_documents(plan: ProviderPlan, rng: np.random.Generator) -> list[DocumentSpec]:
    """The onboarding files of one provider (none if it uploaded nothing)."""
    state = plan.onboarding
    if not state.uploads_documents:
        return []
    rates = KIND_RATES[plan.business_type]
    kinds = [k for k, p in rates.items() if rng.random() < p] or [
        max(rates, key=lambda k: rates[k])
    ]
    forged_at = {i for i in range(len(kinds)) if rng.random() < state.forged_share}
    if state.forged_share > 0 and not forged_at:
        forged_at = {randint(rng, 0, len(kinds))}
    edited_at = randint(rng, 0, len(kinds)) if state.honest_edit else -1
    intensity = plan.scheme.intensity if plan.scheme is not None else 0.5
    truth = identity_of(plan)
    taken: set[str] = set()
    person = plan.business.representative
    values = {
        "slug": slug(plan.business.trading_name),
        "first": slug(person.first_name),
        "last": slug(person.last_name),
        "bank": slug(plan.bank.bank_name),
    }
    specs = []
    for i, kind in enumerate(kinds):
        issued = _issued_on(kind, plan, rng)
        forged = i in forged_at
        producer = weighted_choice(rng, _FORGER_PRODUCERS if forged else PRODUCERS[kind])
        scanned = producer is P.SCANNER or (
            kind is K.IDENTITY_SCAN and producer is P.GENERATOR and rng.random() < 0.5
        )
        shown = truth
        if state.loose_documents and rng.random() < 0.5:
            shown = _honest_drift(shown, plan, rng)
        created_at = _created_at(issued, plan, scanned, rng)
        modified_at = created_at
        tamper: set[Tamper] = set()
        if forged:
            shown = _forge(shown, plan, rng)
            if not scanned:
                scale = 0.5 + intensity
                tamper = {t for t, p in _FORGER_TRACES.items() if rng.random() < p * scale}
            if producer is not P.EDITOR:
                tamper.discard(Tamper.TOUCHUP_TEXT_EDIT)
        elif i == edited_at and not scanned:
            producer = P.EDITOR
            tamper = {Tamper.INCREMENTAL_EDIT, Tamper.MODIFIED_AFTER_CREATION}
            tamper |= {t for t, p in _HONEST_TRACES if rng.random() < p}
        if Tamper.MODIFIED_AFTER_CREATION in tamper:
            modified_at = min(plan.created - 60, created_at + int(uniform(rng, 3600, 20 * DAY)))
        elif Tamper.INCREMENTAL_EDIT in tamper:
            modified_at = min(plan.created - 60, created_at + randint(rng, 5, 120))
        breakage = weighted_choice(rng, _BREAKAGE) if rng.random() < BREAKAGE_RATE else None
        specs.append(
            DocumentSpec(
                kind=kind,
                filename=unique_name(
                    draw_filename(
                        rng,
                        kind,
                        country=plan.country,
                        scanned=scanned,
                        when=created_at,
                        values=values,
                    ),
                    taken,
                ),
                shown=shown,
                issued_on=issued,
                created_at=created_at,
                modified_at=max(created_at, modified_at),
                producer=producer,
                layout=randint(rng, 0, 12),
                scanned=scanned,
                tamper=frozenset(tamper),
                breakage=breakage,
                statement_totals=_statement_totals(plan, forged, rng)
                if kind is K.BANK_STATEMENT
                else None,
                seed=randint(rng, 0, 2**31 - 1),
            )
        )
    return specs
