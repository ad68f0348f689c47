"""What the API needs to know about the served model, and the answer before one is loaded.

The model-loading code (the ModelStore) satisfies `ModelStatus` and replaces
`app.state.model_status` once the champion is loaded; until then readiness reports
`model: not loaded` and scoring routes should raise ModelNotReady.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class ModelStatus(Protocol):
    """Whether a champion model is loaded, and which version."""

    @property
    def ready(self) -> bool:
        """True once a model can score."""
        ...

    @property
    def version(self) -> str | None:
        """The loaded model's registry version, None if nothing is loaded."""
        ...


@dataclass(frozen=True)
class NoChampion:
    """The status before any model is loaded: no champion is registered."""

    ready: bool = False
    version: str | None = None
