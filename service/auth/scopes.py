"""The scopes an API key can carry, and how a comma-separated list of them is read."""

from __future__ import annotations

from collections.abc import Collection, Iterable

ADMIN = "admin"

# Adding an endpoint with a new permission means adding its scope here, with one line on what
# it allows; keys can only be issued with scopes from this table.
SCOPES: dict[str, str] = {
    "scores:write": "request risk scores for accounts",
    "accounts:read": "read accounts, their documents and transactions",
    "documents:write": "upload onboarding documents",
    "decisions:read": "read decisions and the actions they planned",
    "review:read": "see the human review queue",
    "review:write": "resolve reviews",
    ADMIN: "everything, including managing API keys",
}


class InvalidScope(ValueError):
    """A scope that is not in SCOPES, or an empty scope list."""


def check_scope(scope: str) -> str:
    """Return `scope` if it is known; InvalidScope naming it (and the known ones) otherwise."""
    if scope not in SCOPES:
        known = ", ".join(sorted(SCOPES))
        raise InvalidScope(f"unknown scope {scope!r}; known scopes: {known}")
    return scope


def normalise_scopes(scopes: Iterable[str]) -> frozenset[str]:
    """The distinct, known scopes of `scopes`; at least one is required."""
    checked = frozenset(check_scope(scope.strip()) for scope in scopes if scope.strip())
    if not checked:
        raise InvalidScope("at least one scope is required")
    return checked


def parse_scopes(text: str) -> frozenset[str]:
    """Read `scores:write, accounts:read` (commas, optional spaces, repeats allowed)."""
    return normalise_scopes(text.split(","))


def grants(granted: Collection[str], required: str) -> bool:
    """Whether a key with `granted` scopes may do what `required` protects (admin may do all)."""
    return required in granted or ADMIN in granted
