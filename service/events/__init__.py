"""Pure interpretation of Stripe events into typed effects the worker applies."""
