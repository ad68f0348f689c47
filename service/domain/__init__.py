"""Risk policy domain: pure functions from a score and an account's facts to planned actions.

No web framework, SQL or Stripe SDK here; adapters (stripe_gateway, persistence) depend on it.
"""
