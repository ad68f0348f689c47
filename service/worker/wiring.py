"""Assemble the Stripe loop from settings: the rescorer the inbox worker calls and the
dispatcher that sends planned actions — the same for `serve`'s thread and `connect-risk worker`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from service.api.model_status import ModelStatus
from service.db.database import Database
from service.domain.policy_model import Policy
from service.domain.policy_yaml import load_configured_policy
from service.scoring.champion import LoadedModel
from service.scoring.network import NetworkCache
from service.settings import Settings
from service.stripe_gateway.factory import build_gateway
from service.stripe_gateway.port import StripeGateway
from service.worker.dispatch import DEFAULT_ACTION_LEASE, Dispatcher
from service.worker.rescorer import ScoringRescorer

# Actions one dry-run claim settles: the work of a fifth of a second of 1,000 scores.
DRY_RUN_CLAIM = 200


@dataclass(frozen=True)
class StripeLoop:
    """What a worker needs besides its database: how to rescore and how to reach Stripe."""

    policy: Policy
    gateway: StripeGateway
    rescorer: ScoringRescorer
    dispatcher: Dispatcher


def build_stripe_loop(
    settings: Settings,
    database: Database,
    models: ModelStatus,
    *,
    network: NetworkCache | None = None,
    shadow: Callable[[], LoadedModel | None] | None = None,
    lease: dt.timedelta = DEFAULT_ACTION_LEASE,
    on_decision: Callable[[str], None] | None = None,
) -> StripeLoop:
    """Load the policy (PolicyError stops start-up with its line-numbered report) and choose the
    gateway: the SDK on STRIPE_API_BASE with STRIPE_API_KEY, dry-run without one. `lease` is
    how long a claimed action stays with its dispatcher; `on_decision` is told the band of
    each decision a rescore records."""
    policy = load_configured_policy(settings.policy_path)
    gateway = build_gateway(settings)
    return StripeLoop(
        policy=policy,
        gateway=gateway,
        rescorer=ScoringRescorer(
            models=models, policy=policy, network=network, shadow=shadow, on_decision=on_decision
        ),
        dispatcher=Dispatcher(
            database=database,
            gateway=gateway,
            lease=lease,
            # A dry run answers at once: threads would only add hand-offs, and a claim of many
            # actions is settled in moments (a third of the worker's CPU under load saved).
            concurrency=settings.stripe_concurrency if settings.stripe_api_key else 1,
            claim_limit=None if settings.stripe_api_key else DRY_RUN_CLAIM,
        ),
    )
