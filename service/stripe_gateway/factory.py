"""Choose the gateway from settings: the SDK adapter with an API key, dry-run without one."""

from __future__ import annotations

from service.settings import Settings
from service.stripe_gateway.dry_run import DryRunGateway
from service.stripe_gateway.port import StripeGateway
from service.stripe_gateway.sdk_gateway import SdkStripeGateway


def build_gateway(settings: Settings, *, max_attempts: int = 4) -> StripeGateway:
    """SdkStripeGateway on STRIPE_API_BASE when STRIPE_API_KEY is set, else DryRunGateway."""
    if settings.stripe_api_key is None or not settings.stripe_api_key.get_secret_value():
        return DryRunGateway()
    return SdkStripeGateway(
        settings.stripe_api_key.get_secret_value(),
        settings.stripe_api_base,
        max_attempts=max_attempts,
    )
