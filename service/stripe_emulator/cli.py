"""`connect-risk stripe-emulator`: serve the local Stripe Connect emulator over HTTP."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .config import EmulatorConfig
from .faults import FaultConfig
from .spec import SpecNotFoundError


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, got {value}")
    return value


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the `stripe-emulator` subcommand and set its handler."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "stripe-emulator",
        help="serve a local Stripe Connect emulator (accounts, capabilities, reject, webhooks)",
        description="A stateful Stripe emulator for tests and demos: validates requests "
        "against Stripe's OpenAPI spec, honours idempotency keys, injects faults and sends "
        "signed webhooks. Point the SDK at it with "
        "StripeClient(key, base_addresses={'api': 'http://HOST:PORT'}).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument(
        "--port", type=_port, default=12111, help="port to bind (default %(default)s)"
    )
    parser.add_argument("--webhook-url", help="where to POST signed events")
    parser.add_argument("--webhook-secret", help="endpoint secret (whsec_...) to sign events with")
    parser.add_argument("--state-file", type=Path, help="JSON file to keep state across restarts")
    parser.add_argument("--spec", type=Path, help="spec3.json (default: $CONNECT_RISK_STRIPE_SPEC "
                        "or ../shared/stripe-openapi/spec3.json found upwards)")  # fmt: skip
    parser.add_argument("--fault-429-rate", type=_rate, default=0.0)
    parser.add_argument("--fault-500-rate", type=_rate, default=0.0)
    parser.add_argument("--latency-ms", type=_non_negative, default=0.0)
    parser.add_argument("--seed", type=int, help="makes faults and ids reproducible")
    parser.add_argument(
        "--capability-review-seconds",
        type=_non_negative,
        default=0.2,
        help="after this delay a requested (pending) capability becomes active",
    )
    parser.add_argument(
        "--no-response-validation",
        action="store_true",
        help="skip checking each response against the spec (faster)",
    )
    parser.set_defaults(handler=run)
    return parser


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    """The emulator settings named by parsed arguments; ValueError for inconsistent ones."""
    faults = FaultConfig(
        rate_429=args.fault_429_rate,
        rate_500=args.fault_500_rate,
        latency_ms=args.latency_ms,
        seed=args.seed,
    )
    return EmulatorConfig(
        host=args.host,
        port=args.port,
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
        state_file=args.state_file,
        spec_path=args.spec,
        faults=faults,
        seed=args.seed,
        capability_review_seconds=args.capability_review_seconds,
        validate_responses=not args.no_response_validation,
    )


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; exit code 2 for bad arguments or a missing spec."""
    from .emulator import Emulator
    from .server import serve

    try:
        config = config_from_args(args)
        emulator = Emulator(config)
    except (ValueError, SpecNotFoundError) as exc:
        print(f"stripe-emulator: {exc}", file=sys.stderr)
        return 2
    print(f"Stripe emulator on http://{config.host}:{config.port} (API {config.api_version})")
    serve(config, emulator)
    return 0
