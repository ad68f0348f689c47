"""What a provider's onboarding shows: honest base rates, and what each bad archetype adds.

Every signal a bad provider can leave at onboarding also occurs among honest ones, at the
base rates below; a bad provider shows each of its archetype's signals only with some
probability, scaled by its intensity. Bad providers marked clean draw from the honest rates
alone, so they can only be told apart later, in their transactions.
"""

from __future__ import annotations

import numpy as np

from training.synth.choice import uniform, weighted_choice
from training.synth.plan import Archetype
from training.synth.provider import OnboardingState

# Probability of each onboarding signal for an honest provider.
BASE_RATES: dict[str, float] = {
    "new_business": 0.15,
    "thin_profile": 0.10,
    "verification_issue": 0.07,
    "past_due": 0.05,
    "pending_verification": 0.10,
    "under_review": 0.01,
    "foreign_bank": 0.02,
    "no_documents": 0.12,
    "honest_edit": 0.07,
    "loose_documents": 0.15,
}

# Verification issues Stripe raises on honest providers (expired ids, typos, moved offices).
HONEST_ISSUES: dict[str, float] = {
    "document_expired": 0.25,
    "name_mismatch": 0.15,
    "address_mismatch": 0.15,
    "keyed_identity": 0.12,
    "url_inaccessible": 0.12,
    "tax_id_mismatch": 0.08,
    "id_number_mismatch": 0.05,
    "url_mismatch": 0.04,
    "document_manipulated": 0.02,
    "document_fraudulent": 0.02,
}

# Per bad archetype: probability of each signal at full intensity, and the issues it raises.
ARCHETYPE_SIGNALS: dict[Archetype, dict[str, float]] = {
    Archetype.FORGED_DOCUMENTS: {
        "verification_issue": 0.5,
        "pending_verification": 0.3,
        "new_business": 0.3,
    },
    Archetype.BUST_OUT: {
        "new_business": 0.45,
        "thin_profile": 0.3,
        "past_due": 0.2,
        "verification_issue": 0.15,
        "no_documents": 0.25,
    },
    Archetype.CARD_TESTING: {
        "thin_profile": 0.5,
        "new_business": 0.5,
        "verification_issue": 0.2,
        "no_documents": 0.4,
    },
    Archetype.COLLUSION_RING: {
        "new_business": 0.5,
        "verification_issue": 0.15,
        "no_documents": 0.3,
        "thin_profile": 0.25,
    },
    Archetype.REFUND_ABUSE: {
        "past_due": 0.25,
        "thin_profile": 0.3,
        "verification_issue": 0.2,
        "new_business": 0.35,
    },
    Archetype.INDUSTRY_MISREPRESENTATION: {
        "verification_issue": 0.4,
        "thin_profile": 0.35,
        "under_review": 0.1,
    },
    Archetype.PAYOUT_ACCOUNT_RISK: {
        "foreign_bank": 0.5,
        "verification_issue": 0.2,
        "new_business": 0.3,
        "past_due": 0.15,
    },
}

ARCHETYPE_ISSUES: dict[Archetype, dict[str, float]] = {
    Archetype.FORGED_DOCUMENTS: {
        "document_manipulated": 0.3,
        "document_fraudulent": 0.15,
        "name_mismatch": 0.2,
        "id_number_mismatch": 0.15,
        "tax_id_mismatch": 0.1,
        "address_mismatch": 0.1,
    },
    Archetype.INDUSTRY_MISREPRESENTATION: {
        "url_mismatch": 0.5,
        "url_inaccessible": 0.3,
        "name_mismatch": 0.2,
    },
    Archetype.PAYOUT_ACCOUNT_RISK: {
        "name_mismatch": 0.4,
        "keyed_identity": 0.4,
        "address_mismatch": 0.2,
    },
}
_DEFAULT_BAD_ISSUES = {
    "keyed_identity": 0.35,
    "url_inaccessible": 0.25,
    "name_mismatch": 0.2,
    "address_mismatch": 0.2,
}


def draw_onboarding(
    rng: np.random.Generator, archetype: Archetype, clean: bool, intensity: float
) -> OnboardingState:
    """Draw the onboarding signals of one provider (honest rates if good or `clean`)."""
    shows = archetype is not Archetype.GOOD and not clean
    boosts = ARCHETYPE_SIGNALS.get(archetype, {}) if shows else {}
    scale = 0.5 + 0.5 * intensity
    odds = {name: max(base, boosts.get(name, 0.0) * scale) for name, base in BASE_RATES.items()}
    flags = {name: bool(rng.random() < p) for name, p in odds.items()}
    issue = None
    if flags["verification_issue"]:
        # The share of a bad provider's issues it would have had anyway is honest.
        honest_share = BASE_RATES["verification_issue"] / odds["verification_issue"]
        honest_issue = not shows or rng.random() < honest_share
        weights = (
            HONEST_ISSUES if honest_issue else ARCHETYPE_ISSUES.get(archetype, _DEFAULT_BAD_ISSUES)
        )
        issue = weighted_choice(rng, weights)
    forged = archetype is Archetype.FORGED_DOCUMENTS
    forged_share = float(np.clip(0.3 + 0.7 * intensity * uniform(rng, 0.5, 1.2), 0.2, 1.0))
    collusion_forgery = archetype is Archetype.COLLUSION_RING and shows and rng.random() < 0.15
    return OnboardingState(
        new_business=flags["new_business"],
        thin_profile=flags["thin_profile"],
        verification_issue=issue,
        past_due=flags["past_due"],
        pending_verification=flags["pending_verification"],
        under_review=flags["under_review"],
        foreign_bank=flags["foreign_bank"],
        uploads_documents=forged or not flags["no_documents"],
        forged_share=forged_share if forged or collusion_forgery else 0.0,
        honest_edit=flags["honest_edit"],
        loose_documents=flags["loose_documents"],
    )
