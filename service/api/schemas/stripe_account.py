"""The Stripe Account object as POST /v1/scores accepts it inline.

Every field the features or the policy read is typed as Stripe's API reference types it
(`../shared/stripe-openapi/`), so a body that says `"country": 5` or `"charges_enabled": "yes"`
is refused with the field's path instead of being scored as a different account. Everything is
optional and nullable (Stripe omits much of an account it still collects requirements for), no
value is coerced (strict), and fields the service does not read are kept as sent, as long as
they are JSON a database can store (no NaN or Infinity, no unpaired surrogate).
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from service.api.schemas.common import ACCOUNT_ID_PATTERN


class StripeObject(BaseModel):
    """A part of a Stripe object: typed where read, everything else kept as sent."""

    model_config = ConfigDict(extra="allow", strict=True)


class BusinessProfile(StripeObject):
    mcc: str | None = None
    url: str | None = None
    product_description: str | None = None


class ControllerLosses(StripeObject):
    payments: str | None = None


class Controller(StripeObject):
    is_controller: bool | None = None
    type: str | None = None
    requirement_collection: str | None = None
    losses: ControllerLosses | None = None


class RequirementError(StripeObject):
    code: str | None = None
    reason: str | None = None
    requirement: str | None = None


class Requirements(StripeObject):
    currently_due: list[str] | None = None
    eventually_due: list[str] | None = None
    past_due: list[str] | None = None
    pending_verification: list[str] | None = None
    disabled_reason: str | None = None
    current_deadline: int | None = None
    errors: list[RequirementError] | None = None


class VerificationDocument(StripeObject):
    details_code: str | None = None


class CompanyVerification(StripeObject):
    document: VerificationDocument | None = None


class Company(StripeObject):
    tax_id_provided: bool | None = None
    owners_provided: bool | None = None
    directors_provided: bool | None = None
    verification: CompanyVerification | None = None


class IndividualVerification(StripeObject):
    status: str | None = None
    details_code: str | None = None
    document: VerificationDocument | None = None
    additional_document: VerificationDocument | None = None


class Individual(StripeObject):
    political_exposure: str | None = None
    verification: IndividualVerification | None = None


class ExternalAccount(StripeObject):
    object: str | None = None
    country: str | None = None
    fingerprint: str | None = None


class ExternalAccounts(StripeObject):
    data: list[ExternalAccount] | None = None


class PayoutSchedule(StripeObject):
    interval: str | None = None
    delay_days: int | None = None
    weekly_anchor: str | None = None
    monthly_anchor: int | None = None


class PayoutSettings(StripeObject):
    schedule: PayoutSchedule | None = None


class AccountSettings(StripeObject):
    payouts: PayoutSettings | None = None


class InlineAccount(StripeObject):
    """A Stripe Account object (`GET /v1/accounts/{id}`), stored as sent."""

    id: str = Field(pattern=ACCOUNT_ID_PATTERN, description="The account id (`acct_…`)")
    object: Literal["account"] | None = Field(default=None, description="Always `account`")
    type: str | None = None
    country: str | None = None
    default_currency: str | None = None
    business_type: str | None = None
    created: int | None = Field(default=None, description="Unix seconds")
    email: str | None = None
    charges_enabled: bool | None = None
    payouts_enabled: bool | None = None
    details_submitted: bool | None = None
    business_profile: BusinessProfile | None = None
    capabilities: dict[str, str] | None = None
    controller: Controller | None = None
    requirements: Requirements | None = None
    future_requirements: Requirements | None = None
    company: Company | None = None
    individual: Individual | None = None
    external_accounts: ExternalAccounts | None = None
    metadata: dict[str, str] | None = None
    settings: AccountSettings | None = None

    @model_validator(mode="after")
    def _storable(self) -> InlineAccount:
        # Python's JSON parser admits NaN, Infinity and "\ud800"; PostgreSQL's jsonb refuses
        # them, and the account is stored as its latest state.
        try:
            json.dumps(self.model_dump(), allow_nan=False, ensure_ascii=False).encode()
        except (ValueError, UnicodeEncodeError):
            raise ValueError(
                "the Account object holds NaN, Infinity or an unpaired surrogate, which JSON "
                "does not allow"
            ) from None
        return self
