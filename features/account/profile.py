"""Who the provider is and what the platform lets it do: type, controller, business profile."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from features.account._access import NAN, dig, flag, number, one_hot, present
from features.account.domains import email_domain_class, email_matches_website
from features.account.geography import REGIONS, country_risk_group, region_flags
from features.mcc import mcc_risk_group
from features.spec import FeatureSpec, FeatureType, Monotone

BUSINESS_TYPES = ("individual", "company", "non_profit", "government_entity")
ACCOUNT_TYPES = ("standard", "express", "custom")
CAPABILITY_STATUSES = ("active", "pending", "inactive")


def account_age_days(account: Mapping[str, Any], as_of: int) -> float:
    """Days from the account's creation to `as_of`; NaN without `created`."""
    created = number(account.get("created"))
    return (as_of - created) / 86400.0 if created is not None else NAN


def profile_features(account: Mapping[str, Any]) -> dict[str, float]:
    """Business and account type, controller, capabilities, country, MCC and contact data
    (everything but the age, which depends on the instant: `account_age_days`)."""
    out = one_hot(account.get("business_type"), BUSINESS_TYPES, "business_type_")
    out |= one_hot(account.get("type"), ACCOUNT_TYPES, "account_type_")
    out |= _controller(account.get("controller"))
    out |= _capabilities(account.get("capabilities"))
    for name in ("charges_enabled", "payouts_enabled", "details_submitted"):
        out[name] = flag(account.get(name))
    out["mcc_risk_group"] = mcc_risk_group(dig(account, "business_profile", "mcc"))
    country = account.get("country")
    out["country_risk_group"] = country_risk_group(country)
    out |= region_flags(country)
    out |= _business_profile(account.get("business_profile"))
    email = account.get("email")
    out["email_domain_class"] = email_domain_class(email)
    out["email_matches_website"] = email_matches_website(
        email, dig(account, "business_profile", "url")
    )
    for name in ("tax_id_provided", "owners_provided", "directors_provided"):
        out[f"company_{name}"] = flag(dig(account, "company", name))
    exposure = dig(account, "individual", "political_exposure")
    out["individual_politically_exposed"] = {"existing": 1.0, "none": 0.0}.get(exposure, NAN)
    return out


def _controller(controller: Any) -> dict[str, float]:
    if not isinstance(controller, Mapping):
        return {
            "controller_is_controller": NAN,
            "controller_losses_application": NAN,
            "controller_collects_requirements": NAN,
        }
    losses = dig(controller, "losses", "payments")
    collection = controller.get("requirement_collection")
    return {
        # Stripe sends null, not false, when this platform does not control the account.
        "controller_is_controller": 1.0 if controller.get("is_controller") is True else 0.0,
        "controller_losses_application": (
            float(losses == "application") if isinstance(losses, str) else NAN
        ),
        "controller_collects_requirements": (
            float(collection == "application") if isinstance(collection, str) else NAN
        ),
    }


def _capabilities(capabilities: Any) -> dict[str, float]:
    if not isinstance(capabilities, Mapping):
        out = {f"capabilities_{status}_count": NAN for status in CAPABILITY_STATUSES}
        return out | {"capability_card_payments_active": NAN, "capability_transfers_active": NAN}
    # Older API versions render each capability as an object with a `status`.
    statuses = {
        name: value.get("status") if isinstance(value, Mapping) else value
        for name, value in capabilities.items()
    }
    out = {
        f"capabilities_{status}_count": float(sum(value == status for value in statuses.values()))
        for status in CAPABILITY_STATUSES
    }
    out["capability_card_payments_active"] = float(statuses.get("card_payments") == "active")
    out["capability_transfers_active"] = float(statuses.get("transfers") == "active")
    return out


def _business_profile(profile: Any) -> dict[str, float]:
    fields = ("url", "support_email", "support_phone", "support_url", "name")
    if not isinstance(profile, Mapping):
        out = {f"business_{field}_present": NAN for field in fields}
        return out | {"product_description_length": NAN}
    out = {f"business_{field}_present": present(profile.get(field)) for field in fields}
    description = profile.get("product_description")
    out["product_description_length"] = (
        float(len(description.strip())) if isinstance(description, str) else 0.0
    )
    return out


def _spec(name: str, type_: FeatureType, monotone: Monotone, description: str) -> FeatureSpec:
    return FeatureSpec(name, type_, "account", monotone, description)


PROFILE_FEATURES: tuple[FeatureSpec, ...] = (
    *(
        _spec(f"business_type_{kind}", "bool", 0, f"business_type is {kind}; NaN when absent.")
        for kind in BUSINESS_TYPES
    ),
    *(
        _spec(f"account_type_{kind}", "bool", 0, f"Account type is {kind}; NaN when absent.")
        for kind in ACCOUNT_TYPES
    ),
    _spec(
        "controller_is_controller",
        "bool",
        0,
        "This platform controls the account (controller.is_controller).",
    ),
    _spec(
        "controller_losses_application",
        "bool",
        0,
        "The platform is liable for the account's negative balances (controller.losses.payments).",
    ),
    _spec(
        "controller_collects_requirements",
        "bool",
        0,
        "The platform collects requirements itself (controller.requirement_collection).",
    ),
    *(
        _spec(
            f"capabilities_{status}_count",
            "int",
            1 if status == "inactive" else 0,
            f"Capabilities whose status is {status}.",
        )
        for status in CAPABILITY_STATUSES
    ),
    _spec("capability_card_payments_active", "bool", -1, "The card_payments capability is active."),
    _spec("capability_transfers_active", "bool", -1, "The transfers capability is active."),
    _spec("charges_enabled", "bool", -1, "Stripe lets the account create charges."),
    _spec("payouts_enabled", "bool", -1, "Stripe lets the account receive payouts."),
    _spec("details_submitted", "bool", -1, "The provider finished onboarding."),
    _spec("account_age_days", "float", -1, "Days from account creation to as_of."),
    _spec(
        "mcc_risk_group",
        "int",
        1,
        "Risk group of business_profile.mcc: 0 low, 1 medium, 2 high, 3 very high; NaN if absent.",
    ),
    _spec(
        "country_risk_group",
        "int",
        1,
        "Country risk: 0 established, 1 other, 2 FATF increased monitoring, 3 FATF call to action.",
    ),
    *(
        _spec(f"country_region_{region}", "bool", 0, f"The account's country is in {region}.")
        for region in REGIONS
    ),
    _spec("business_url_present", "bool", -1, "The business profile names a website."),
    _spec(
        "business_support_email_present", "bool", -1, "The business profile has a support email."
    ),
    _spec(
        "business_support_phone_present", "bool", -1, "The business profile has a support phone."
    ),
    _spec("business_support_url_present", "bool", -1, "The business profile has a support URL."),
    _spec("business_name_present", "bool", -1, "The business profile names the business."),
    _spec(
        "product_description_length",
        "int",
        0,
        "Characters in business_profile.product_description (0 when empty).",
    ),
    _spec(
        "email_domain_class",
        "int",
        1,
        "Account email domain: 0 business domain, 1 free mail, 2 disposable inbox; NaN if absent.",
    ),
    _spec(
        "email_matches_website",
        "bool",
        -1,
        "The account email's domain is the business website's domain.",
    ),
    _spec("company_tax_id_provided", "bool", -1, "The company gave a tax id."),
    _spec("company_owners_provided", "bool", -1, "The company declared its owners."),
    _spec("company_directors_provided", "bool", -1, "The company declared its directors."),
    _spec(
        "individual_politically_exposed",
        "bool",
        0,
        "individual.political_exposure is existing (a politically exposed person).",
    ),
)
