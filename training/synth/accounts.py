"""Render a provider plan as the Stripe Account object the platform captured at onboarding.

The object is the state at the platform's onboarding review, not at export time. It therefore
never carries what happened afterwards: no `rejected.*` disabled reason for accounts the
platform later closed, no risk notes or labels in `metadata`. Carrying post-outcome state
would hand the label to any model trained on these files.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np

from training.synth.choice import pick, randint
from training.synth.countries import COUNTRY_BY_CODE, ZERO_DECIMAL
from training.synth.identity import slug
from training.synth.legal_entity import company, individual
from training.synth.plan import DocumentKind
from training.synth.provider import ProviderPlan
from training.synth.requirements import capabilities, requirements_state

_CONTROLLERS: dict[str, dict[str, Any]] = {
    "custom": {
        "type": "application",
        "is_controller": True,
        "losses": {"payments": "application"},
        "requirement_collection": "application",
        "stripe_dashboard": {"type": "none"},
        "fees": {"payer": "application_custom"},
    },
    "express": {
        "type": "application",
        "is_controller": True,
        "losses": {"payments": "application"},
        "requirement_collection": "stripe",
        "stripe_dashboard": {"type": "express"},
        "fees": {"payer": "application_express"},
    },
    "standard": {
        "type": "account",
        "is_controller": True,
        "losses": {"payments": "stripe"},
        "requirement_collection": "stripe",
        "stripe_dashboard": {"type": "full"},
        "fees": {"payer": "account"},
    },
}
_TIMEZONES = {
    "US": "America/New_York",
    "GB": "Europe/London",
    "CA": "America/Toronto",
    "AU": "Australia/Sydney",
    "DE": "Europe/Berlin",
    "FR": "Europe/Paris",
    "NL": "Europe/Amsterdam",
    "IE": "Europe/Dublin",
    "ES": "Europe/Madrid",
    "IT": "Europe/Rome",
    "SG": "Asia/Singapore",
    "JP": "Asia/Tokyo",
}
_USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Version/18.1 Safari",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile",
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36",
)


def _bank_account(plan: ProviderPlan, rng: np.random.Generator) -> dict[str, Any]:
    bank = plan.bank
    individual = plan.business_type == "individual"
    return {
        "id": bank.id,
        "object": "bank_account",
        "account": plan.account_id,
        "account_holder_name": plan.business.legal_name,
        "account_holder_type": "individual" if individual else "company",
        "account_type": ("futsu" if bank.country == "JP" else "checking")
        if rng.random() < 0.6
        else None,
        "available_payout_methods": ["standard", "instant"] if rng.random() < 0.5 else ["standard"],
        "bank_name": bank.bank_name,
        "country": bank.country,
        "currency": bank.currency,
        "default_for_currency": True,
        "fingerprint": bank.fingerprint,
        "last4": bank.last4,
        "metadata": {},
        "routing_number": bank.routing_number,
        "status": bank.status,
    }


def _settings(plan: ProviderPlan, rng: np.random.Generator) -> dict[str, Any]:
    descriptor = slug(plan.business.trading_name).upper()[:22] or "SHOP"
    schedule: dict[str, Any] = {
        "delay_days": plan.schedule.delay_days,
        "interval": plan.schedule.interval,
    }
    if plan.schedule.interval == "weekly":
        schedule["weekly_anchor"] = plan.schedule.anchor
    elif plan.schedule.interval == "monthly":
        schedule["monthly_anchor"] = plan.schedule.anchor
    color = f"#{randint(rng, 0, 1 << 24):06x}" if rng.random() < 0.4 else None
    return {
        "branding": {"icon": None, "logo": None, "primary_color": color, "secondary_color": None},
        "card_payments": {
            "decline_on": {"avs_failure": False, "cvc_failure": True},
            "statement_descriptor_prefix": descriptor[:10],
            "statement_descriptor_prefix_kana": None,
            "statement_descriptor_prefix_kanji": None,
        },
        "dashboard": {
            "display_name": plan.business.trading_name,
            "timezone": _TIMEZONES.get(plan.country, "Etc/UTC"),
        },
        "payments": {
            "statement_descriptor": descriptor,
            "statement_descriptor_kana": None,
            "statement_descriptor_kanji": None,
        },
        "payouts": {
            "debit_negative_balances": plan.account_type != "standard",
            "schedule": schedule,
            "statement_descriptor": None,
        },
    }


def _business_profile(plan: ProviderPlan, rng: np.random.Generator) -> dict[str, Any]:
    b, t = plan.business, plan.traits
    thin = plan.onboarding.thin_profile
    # The provider's own estimate of its monthly takings: honest in scale, rough in detail.
    estimate = t.daily_rate * 30 * t.ticket * rng.lognormal(0, 0.6)
    unit = 1 if plan.currency in ZERO_DECIMAL else 100
    estimate = max(100 * unit, round(estimate / (100 * unit)) * 100 * unit)
    return {
        "annual_revenue": None,
        "estimated_worker_count": randint(rng, 1, 60) if plan.business_type != "individual" else 1,
        "mcc": plan.mcc,
        "minority_owned_business_designation": None,
        "monthly_estimated_revenue": {"amount": int(estimate), "currency": plan.currency},
        "name": b.trading_name,
        "product_description": b.product_description,
        "support_address": None,
        "support_email": None if thin else b.email,
        "support_phone": None if thin else b.phone,
        "support_url": None
        if thin or b.url is None or "instagram" in b.url
        else f"{b.url}/support",
        "url": b.url,
    }


def build_account(
    plan: ProviderPlan, kinds: Collection[DocumentKind], rng: np.random.Generator
) -> dict[str, Any]:
    """The Account object (as `GET /v1/accounts/{id}` returns it) at the onboarding review."""
    state = requirements_state(plan, rng)
    caps = capabilities(plan, state["disabled"], rng)
    bank_ok = plan.bank.status not in ("verification_failed", "errored")
    controller = dict(_CONTROLLERS[plan.account_type])
    if not plan.platform_controls:
        controller = {"type": "account"}
    account: dict[str, Any] = {
        "id": plan.account_id,
        "object": "account",
        "type": plan.account_type,
        "business_profile": _business_profile(plan, rng),
        "business_type": plan.business_type,
        "capabilities": caps,
        "charges_enabled": caps["card_payments"] == "active",
        "controller": controller,
        "country": plan.country,
        "created": plan.created,
        "default_currency": COUNTRY_BY_CODE[plan.country].currency,
        "details_submitted": not state["requirements"]["past_due"] or rng.random() < 0.5,
        "email": plan.business.email,
        "future_requirements": state["future_requirements"],
        "metadata": {
            "platform_user_id": f"usr_{randint(rng, 10**6, 10**7)}",
            "signup_source": pick(rng, ("web", "ios", "android", "partner")),
        },
        "payouts_enabled": caps["transfers"] == "active" and bank_ok,
        "requirements": state["requirements"],
        "settings": _settings(plan, rng),
        "tos_acceptance": {
            "date": plan.created + randint(rng, 30, 900),
            "ip": ".".join(str(randint(rng, 1, 255)) for _ in range(4))
            if plan.account_type == "custom"
            else None,
            "service_agreement": "full",
            "user_agent": pick(rng, _USER_AGENTS) if plan.account_type == "custom" else None,
        },
    }
    if plan.platform_controls:
        account["external_accounts"] = {
            "data": [_bank_account(plan, rng)],
            "has_more": False,
            "object": "list",
            "url": f"/v1/accounts/{plan.account_id}/external_accounts",
        }
    if plan.business_type == "individual":
        account["individual"] = individual(plan, state, kinds, rng)
    else:
        account["company"] = company(plan, state, kinds, rng)
    return account
