"""Alembic migration environment for the service schema (run via service.db.migrate)."""
