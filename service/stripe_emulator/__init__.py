"""A local, stateful Stripe Connect emulator (real HTTP) for tests and demos.

Serves the Accounts and Capabilities endpoints the service uses, validates every request and
response against Stripe's OpenAPI spec, honours idempotency keys, injects faults and sends
signed webhooks. Start it with `connect-risk stripe-emulator` or `EmulatorServer`.
"""
