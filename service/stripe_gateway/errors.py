"""The gateway's errors, part of service.errors' tree, so no caller needs the stripe SDK.

ConnectRiskError
 +-- GatewayError                 a Stripe call or webhook could not be used
      +-- AccountNotAccessible    401/403: the key may not read this account
      +-- WebhookRejected ....... 400  never stored
           +-- WebhookSignatureError   missing, malformed, wrong or stale Stripe-Signature
           +-- WebhookPayloadError     signed, but not a JSON Stripe event
 +-- UnknownAccount
      +-- AccountNotFound ....... 404  Stripe does not know the account (dry-run: never seen)
 +-- Unavailable
      +-- StripeUnavailable ..... 503  429, 5xx or connection failures outlasted every retry
"""

from __future__ import annotations

from service.errors import ConnectRiskError, Unavailable, UnknownAccount


class GatewayError(ConnectRiskError):
    """A Stripe call or a webhook could not be used; the message says why."""

    title = "Stripe gateway error"
    slug = "stripe-gateway-error"


class AccountNotFound(UnknownAccount, GatewayError):
    """Stripe does not know the account (or, in dry-run, it was never seen)."""


class AccountNotAccessible(GatewayError):
    """The API key may not read the account."""


class StripeUnavailable(Unavailable, GatewayError):
    """Stripe kept failing transiently; retrying later may succeed."""

    title = "Stripe unavailable"
    slug = "stripe-unavailable"


class WebhookRejected(GatewayError):
    """A webhook delivery that must not be stored (answer 400, so Stripe shows the failure)."""

    status = 400
    title = "Webhook rejected"
    slug = "webhook-rejected"


class WebhookSignatureError(WebhookRejected):
    """The Stripe-Signature header does not prove the body came from Stripe, recently."""


class WebhookPayloadError(WebhookRejected):
    """The body is correctly signed but is not a Stripe event object."""
