"""Stripe adapter: applies planned actions through the official SDK, and verifies webhooks.

Stripe's errors are translated here and nowhere else; callers see ActionResult values or the
GatewayError family.
"""

from service.stripe_gateway.dry_run import DryRunGateway
from service.stripe_gateway.factory import build_gateway
from service.stripe_gateway.port import ActionResult, StripeGateway
from service.stripe_gateway.sdk_gateway import SdkStripeGateway
from service.stripe_gateway.webhooks import verify_event

__all__ = [
    "ActionResult",
    "DryRunGateway",
    "SdkStripeGateway",
    "StripeGateway",
    "build_gateway",
    "verify_event",
]
