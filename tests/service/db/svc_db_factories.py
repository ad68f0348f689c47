"""Types of the database test factories (the fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

from service.db.repositories.decisions import NewDecision

MakeDecision = Callable[..., NewDecision]
StoreDecision = Callable[[NewDecision], str]
