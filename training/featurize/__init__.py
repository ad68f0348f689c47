"""The batch feature job over a dataset directory, and its `connect-risk features` command."""

from training.featurize.job import (
    EvidenceReport,
    featurize,
    parse_dataset_documents,
    write_features,
)

__all__ = ["EvidenceReport", "featurize", "parse_dataset_documents", "write_features"]
