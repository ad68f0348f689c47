"""What the generator decides about one connected account before rendering anything.

A `ProviderPlan` holds who the provider is (business, bank, payout schedule), what its
onboarding shows, how it transacts (`Traits`), how it abuses the platform if it does
(`Scheme`), and how the platform's story with it ends (`Outcome`).
"""

from __future__ import annotations

from dataclasses import dataclass

from training.synth.plan import Address, Archetype, Identity


@dataclass(frozen=True)
class ProviderSeed:
    """The decisions that link accounts to each other, drawn once for the whole marketplace."""

    index: int
    archetype: Archetype
    clean_onboarding: bool  # a bad provider whose onboarding looks like a good one's
    good_closure: bool  # an honest provider the platform closes for risk anyway (label noise)
    ring: int = -1  # collusion ring number, -1 outside rings
    ring_opened: int = 0  # Unix second the ring's members began to sign up
    ring_detected: int = 0  # Unix second the platform uncovers the ring
    bank_group: int = -1  # accounts paying out to one shared bank account share this number


@dataclass(frozen=True)
class Person:
    """The representative who signs the provider up."""

    first_name: str
    last_name: str
    dob: tuple[int, int, int]  # year, month, day
    email: str
    phone: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Business:
    """The provider's identity as it declares it to the platform."""

    legal_name: str
    trading_name: str
    registration_number: str  # "" for sole traders without one
    tax_id: str
    address: Address
    incorporated_on: int  # Unix seconds
    representative: Person
    email: str
    phone: str
    url: str | None
    product_description: str | None


@dataclass(frozen=True)
class BankAccount:
    """The external account payouts go to (shared accounts share the fingerprint)."""

    id: str
    country: str
    currency: str
    bank_name: str
    last4: str
    fingerprint: str
    routing_number: str | None
    status: str  # new, validated, verified, verification_failed, errored


@dataclass(frozen=True)
class PayoutSchedule:
    """`settings.payouts.schedule` as the provider chose it at onboarding."""

    interval: str  # daily, weekly, monthly, manual
    delay_days: int
    anchor: str | int | None = None  # weekday name for weekly, day of month for monthly


@dataclass(frozen=True)
class OnboardingState:
    """What the onboarding review sees, as knobs that accounts and documents render."""

    new_business: bool
    thin_profile: bool  # no website, description or support phone
    verification_issue: str | None  # a key of requirements.VERIFICATION_ISSUES
    past_due: bool
    pending_verification: bool
    under_review: bool
    foreign_bank: bool
    uploads_documents: bool
    forged_share: float  # share of uploaded documents forged (0 for honest providers)
    honest_edit: bool  # one document edited by its honest owner (annotated, redacted, signed)
    loose_documents: bool  # documents show a trading name, old address or other honest drift


@dataclass(frozen=True)
class Traits:
    """How a provider transacts when it behaves honestly."""

    daily_rate: float  # expected charges per day once ramped up
    ramp_days: float
    ticket: float  # median charge, minor units of the provider's currency
    ticket_sigma: float
    price_points: tuple[int, ...]  # catalogue prices, minor units
    catalogue_share: float
    round_share: float
    fail_rate: float
    refund_rate: float
    dispute_rate: float
    dispute_loss: float
    cross_border: float
    guest_share: float
    non_card_share: float
    customers_per_charge: float  # low values mean many repeat customers
    multi_currency: bool
    business_hours: float  # share of charges in local business hours
    weekend_factor: float
    season: str  # "flat", "retail", "travel"
    spike: tuple[int, int, float] | None  # an honest promotion or event: start, end, factor
    dormant_from: int | None  # the provider stops trading then
    payout_fail_rate: float
    instant_payouts: bool  # withdraws each day's takings at once (gig workers do)


@dataclass(frozen=True)
class Scheme:
    """How a bad provider abuses the platform; each part may be absent (partial evidence)."""

    starts_at: int
    intensity: float
    volume_boost: float = 1.0
    ticket_boost: float = 1.0
    stolen_share: float = 0.0  # charges on stolen cards, which get disputed
    ring_share: float = 0.0  # charges on the collusion ring's shared cards
    ring_disputes: bool = False  # the ring uses stolen cards rather than its own
    round_amounts: bool = False
    test_bursts: int = 0
    burst_size: int = 0
    burst_fail_rate: float = 0.0
    refund_rate: float = 0.0  # abusive refund rate once the scheme starts (0: none)
    bad_dispute_rate: float = 0.0  # dispute probability of a charge on a stolen card
    instant_payouts: bool = False
    payout_fail_rate: float = 0.0


@dataclass(frozen=True)
class Outcome:
    """The row of labels.csv, and when the account's money stops moving."""

    label: int
    labeled_at: int
    reason: str  # "" for label 0
    stops_at: int  # no money moves at or after this second


@dataclass(frozen=True)
class ProviderPlan:
    """Every decision about one provider; renderers turn it into files."""

    index: int
    account_id: str
    archetype: Archetype
    clean_onboarding: bool
    ring: int
    created: int
    country: str
    currency: str
    account_type: str  # custom, express, standard
    platform_controls: bool  # controller.is_controller
    business_type: str
    structure: str | None
    mcc: str  # declared
    behaviour_mcc: str  # how it really transacts (differs under industry misrepresentation)
    business: Business
    bank: BankAccount
    schedule: PayoutSchedule
    onboarding: OnboardingState
    traits: Traits
    scheme: Scheme | None
    outcome: Outcome

    @property
    def is_bad(self) -> bool:
        return self.archetype is not Archetype.GOOD


def identity_of(plan: ProviderPlan) -> Identity:
    """The provider's true identity, as an honest document would print it."""
    b = plan.business
    return Identity(
        legal_name=b.legal_name,
        registration_number=b.registration_number,
        tax_id=b.tax_id,
        address=b.address,
        incorporated_on=b.incorporated_on,
        representative=b.representative.full_name,
        currency=plan.currency,
        bank_name=plan.bank.bank_name,
        bank_last4=plan.bank.last4,
    )
