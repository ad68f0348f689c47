"""API keys: issuing, hashing, scopes, and the `connect-risk apikey` command."""
