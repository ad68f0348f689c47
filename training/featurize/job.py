"""The batch feature job: dataset directory -> parsed documents -> network -> feature table."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from features import build_network, build_table, compute_batch, registry_version
from features.documents import DocumentEvidence, parse_documents
from training.cli_args import some_of
from training.dataset import Dataset
from training.featurize.cache import cache_file, load_cache, save_cache

PARSE_CHUNK = 64  # files handed to the parser at once: bounds the bytes held in memory


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvidenceReport:
    """Each account's parsed documents, and how many files were parsed vs read from cache."""

    by_account: Mapping[str, tuple[DocumentEvidence, ...]]
    parsed: int
    cached: int
    # Files that could not be read, relative to the dataset, with the reason (they still
    # count, as the document error features).
    unreadable: tuple[tuple[str, str], ...] = ()


def parse_dataset_documents(
    dataset: Dataset,
    *,
    workers: int | None = None,
    cache_dir: Path | None = None,
    progress: bool = False,
) -> EvidenceReport:
    """Parse every document of the dataset once per distinct file content (sha256), in
    parallel, reusing and updating the evidence cache under `cache_dir` when given. An
    account's evidence holds each distinct file once, in file-name order."""
    cache_path = cache_file(cache_dir) if cache_dir is not None else None
    known = load_cache(cache_path) if cache_path is not None else {}
    digests: dict[Path, str] = {}
    todo: dict[str, Path] = {}
    for paths in dataset.documents.values():
        for path in paths:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            digests[path] = digest
            if digest not in known:
                todo.setdefault(digest, path)
    cached = sum(1 for digest in set(digests.values()) if digest in known)
    pending = list(todo.items())
    with tqdm(total=len(pending), unit="file", desc="documents", disable=not progress) as bar:
        for start in range(0, len(pending), PARSE_CHUNK):
            chunk = pending[start : start + PARSE_CHUNK]
            parsed = parse_documents([path.read_bytes() for _, path in chunk], workers=workers)
            for (digest, _), evidence in zip(chunk, parsed, strict=True):
                known[digest] = evidence
            bar.update(len(chunk))
    if cache_path is not None and pending:
        save_cache(cache_path, known)
    # One document per distinct content per account, as the service stores uploads: the same
    # file twice in a folder is not two pieces of evidence.
    by_account = {
        account: tuple(known[digest] for digest in dict.fromkeys(digests[path] for path in paths))
        for account, paths in dataset.documents.items()
    }
    unreadable = tuple(
        (str(path.relative_to(dataset.path)), str(known[digest].error))
        for path, digest in digests.items()
        if known[digest].error is not None
    )
    if unreadable:
        log.warning(
            "documents: %d files could not be read (counted as such in the features): %s",
            len(unreadable),
            some_of([f"{path} ({reason})" for path, reason in unreadable]),
        )
    return EvidenceReport(by_account, parsed=len(pending), cached=cached, unreadable=unreadable)


def featurize(
    dataset: Dataset,
    evidence: Mapping[str, tuple[DocumentEvidence, ...]],
    *,
    now: int | None = None,
) -> pd.DataFrame:
    """One row per scoring snapshot: account, as_of and every registered feature.

    Links use every account's transactions, documents and the labels known before each as_of.
    """
    table = build_table(dataset.transactions)
    network = build_network(table, dataset.accounts, evidence, dataset.labels)
    snapshots = dataset.scoring_snapshots(now)
    return compute_batch(dataset.accounts, evidence, table, snapshots, network=network)


def write_features(frame: pd.DataFrame, out: Path) -> None:
    """Write the feature table as Parquet, recording the registry version in its metadata."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    metadata = {
        **(table.schema.metadata or {}),
        b"connect_risk.registry_version": registry_version().encode(),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table.replace_schema_metadata(metadata), out)
