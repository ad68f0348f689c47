"""Use cases: one function per thing the API (or the worker) does, between routes and storage."""
