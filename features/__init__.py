"""Pure feature code: Stripe Account object, parsed onboarding documents and transactions ->
one typed feature vector per (account, as_of), identical online and in batch."""

from __future__ import annotations

from features.batch import compute_batch, feature_columns
from features.links import LINK_KINDS, NetworkIndex, build_network
from features.registry import (
    FEATURE_NAMES,
    GROUPS,
    REGISTRY,
    monotone_constraints,
    registry_version,
    spec_of,
)
from features.spec import FeatureSpec
from features.transactions import TransactionTable, build_table
from features.vector import FeatureVector, compute

__all__ = [
    "FEATURE_NAMES",
    "GROUPS",
    "LINK_KINDS",
    "REGISTRY",
    "FeatureSpec",
    "FeatureVector",
    "NetworkIndex",
    "TransactionTable",
    "build_network",
    "build_table",
    "compute",
    "compute_batch",
    "feature_columns",
    "monotone_constraints",
    "registry_version",
    "spec_of",
]
