"""Settings of one emulator instance (from the CLI or a test fixture)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .faults import FaultConfig
from .rules import API_VERSION


@dataclass(frozen=True)
class EmulatorConfig:
    """What an emulator instance serves and how.

    spec_path None means: find spec3.json ($CONNECT_RISK_STRIPE_SPEC or a walk up).
    capability_review_seconds None leaves requested capabilities `pending` forever.
    validate_responses checks every answer against the spec and turns a mismatch into a 500.
    """

    host: str = "127.0.0.1"
    port: int = 12111
    webhook_url: str | None = None
    webhook_secret: str | None = None
    state_file: Path | None = None
    spec_path: Path | None = None
    faults: FaultConfig = field(default_factory=FaultConfig)
    seed: int | None = None
    api_version: str = API_VERSION
    capability_review_seconds: float | None = 0.2
    validate_responses: bool = True

    def __post_init__(self) -> None:
        if (self.webhook_url is None) != (self.webhook_secret is None):
            raise ValueError("webhook_url and webhook_secret must be given together")
        if self.capability_review_seconds is not None and self.capability_review_seconds < 0:
            raise ValueError("capability_review_seconds must be >= 0")
