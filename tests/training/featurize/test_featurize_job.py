"""The batch job: each distinct file parsed once, cached by sha256, then one row per snapshot."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from features import FEATURE_NAMES, documents, registry_version
from training.dataset import load_dataset
from training.featurize import featurize, parse_dataset_documents, write_features
from training.featurize.cache import (
    cache_file,
    load_cache,
    parser_fingerprint,
    save_cache,
    source_fingerprint,
)


def test_documents_are_parsed_once_per_content_and_cached(
    featurize_dir: Path, tmp_path: Path
) -> None:
    dataset = load_dataset(featurize_dir)
    cache = tmp_path / "cache"
    first = parse_dataset_documents(dataset, workers=1, cache_dir=cache)
    assert (first.parsed, first.cached) == (2, 0)  # the shared certificate counts once
    assert len(list(cache.iterdir())) == 1
    second = parse_dataset_documents(dataset, workers=1, cache_dir=cache)
    assert (second.parsed, second.cached) == (0, 2)
    assert second.by_account == first.by_account
    shared_a, shared_b = first.by_account["acct_a"][0], first.by_account["acct_b"][0]
    assert shared_a.sha256 == shared_b.sha256 and shared_a.error is None


def test_unreadable_files_are_named_with_their_reason(
    featurize_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "with-a-bad-file"
    shutil.copytree(featurize_dir, data)
    (data / "documents" / "acct_b" / "scan.pdf").write_bytes(b"not a pdf")
    with caplog.at_level("WARNING", logger="training.featurize.job"):
        report = parse_dataset_documents(load_dataset(data), workers=1)
    assert report.unreadable == (("documents/acct_b/scan.pdf", "not_pdf"),)
    [warning] = [r.getMessage() for r in caplog.records if "could not be read" in r.getMessage()]
    assert "1 files could not be read" in warning
    assert "documents/acct_b/scan.pdf (not_pdf)" in warning


def test_the_same_file_twice_in_one_folder_is_one_piece_of_evidence(
    featurize_dir: Path, tmp_path: Path
) -> None:
    # As the service stores uploads: the same bytes again for an account are not new evidence.
    data = tmp_path / "with-a-repeat"
    shutil.copytree(featurize_dir, data)
    folder = data / "documents" / "acct_a"
    original = sorted(folder.iterdir())[0]
    shutil.copy(original, folder / "again.pdf")
    before = parse_dataset_documents(load_dataset(featurize_dir), workers=1).by_account
    after = parse_dataset_documents(load_dataset(data), workers=1).by_account
    assert len(load_dataset(data).documents["acct_a"]) == len(before["acct_a"]) + 1
    assert after == before


def test_an_unreadable_cache_only_means_parsing_again(featurize_dir: Path, tmp_path: Path) -> None:
    dataset = load_dataset(featurize_dir)
    cache = tmp_path / "cache"
    parse_dataset_documents(dataset, workers=1, cache_dir=cache)
    (path,) = cache.iterdir()
    path.write_text("{not json\n")
    again = parse_dataset_documents(dataset, workers=1, cache_dir=cache)
    assert (again.parsed, again.cached) == (2, 0)


def test_feature_table_has_one_row_per_snapshot(featurize_dir: Path, tmp_path: Path) -> None:
    dataset = load_dataset(featurize_dir)
    evidence = parse_dataset_documents(dataset, workers=1)
    frame = featurize(dataset, evidence.by_account, now=1_800_000_000)
    assert list(frame.columns) == ["account", "as_of", *FEATURE_NAMES]
    assert frame["account"].tolist() == ["acct_a", "acct_b", "acct_c"]
    assert frame["as_of"].tolist() == [1_700_000_101, 1_700_000_301, 1_800_000_000]
    links = dict(zip(frame["account"], frame["linked_accounts_document"], strict=True))
    assert links == {"acct_a": 1.0, "acct_b": 1.0, "acct_c": 0.0}
    assert frame.loc[1, "doc_count"] == 2.0 and frame.loc[1, "charge_count_all"] == 1.0
    out = tmp_path / "nested" / "features.parquet"
    write_features(frame, out)
    table = pq.read_table(out)
    assert table.schema.metadata[b"connect_risk.registry_version"] == registry_version().encode()
    back = table.to_pandas()
    assert np.array_equal(
        back[list(FEATURE_NAMES)].to_numpy(), frame[list(FEATURE_NAMES)].to_numpy(), equal_nan=True
    )


def test_evidence_of_another_parser_is_never_read(tmp_path: Path) -> None:
    parser = Path(documents.__file__).parent
    copy = tmp_path / "parser"
    shutil.copytree(parser, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert source_fingerprint(copy) == parser_fingerprint()
    classify = copy / "classify.py"
    classify.write_text(classify.read_text() + "\n# one more cue\n")
    edited = source_fingerprint(copy)
    assert edited != parser_fingerprint()
    cache = tmp_path / "cache"
    assert cache_file(cache, edited) != cache_file(cache) == cache_file(cache, parser_fingerprint())


def test_a_parse_that_ran_out_of_time_is_not_remembered(tmp_path: Path) -> None:
    path = tmp_path / "evidence.jsonl"
    slow = documents.DocumentEvidence(sha256="a" * 64, size_bytes=10, error="timeout")
    broken = documents.DocumentEvidence(sha256="b" * 64, size_bytes=10, error="corrupt")
    save_cache(path, {slow.sha256: slow, broken.sha256: broken})
    assert load_cache(path) == {broken.sha256: broken}  # the file decides; the run did not
