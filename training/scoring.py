"""Batch scoring: a dataset directory -> scores.csv (account, as_of, score, band, segment,
model_version, reasons) with a registered model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from features import registry_version
from training.dataset import load_dataset
from training.featurize import featurize, parse_dataset_documents
from training.steps.model import RiskModel

# The service's policy file decides the real bands; these mirror its default thresholds so a
# batch file reads the same way without training importing the service.
DEFAULT_BANDS: tuple[float, ...] = (0.05, 0.2, 0.5)
BAND_NAMES: tuple[str, ...] = ("low", "medium", "high", "severe")
SCORE_COLUMNS = ("account", "as_of", "score", "band", "segment", "model_version", "reasons")


class ScoringError(ValueError):
    """The model cannot score this dataset (for example another feature registry)."""


@dataclass(frozen=True)
class ScoringOptions:
    """Band thresholds, reason codes per row, and the document-parsing knobs."""

    bands: tuple[float, ...] = DEFAULT_BANDS
    reasons: int = 3
    cache_dir: Path | None = None
    workers: int | None = None
    progress: bool = False
    now: int | None = None


def parse_bands(text: str) -> tuple[float, ...]:
    """`0.05,0.2,0.5` -> thresholds; strictly increasing, inside (0, 1), at most three."""
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise ValueError(f"expected comma-separated numbers, got {text!r}") from None
    if not values or len(values) > len(BAND_NAMES) - 1:
        raise ValueError(f"expected 1 to {len(BAND_NAMES) - 1} thresholds, got {len(values)}")
    if any(not 0 < v < 1 for v in values) or any(
        a >= b for a, b in zip(values, values[1:], strict=False)
    ):
        raise ValueError(f"thresholds must increase strictly inside (0, 1), got {text!r}")
    return values


def band_of(scores: np.ndarray, thresholds: Sequence[float]) -> list[str]:
    """The band of each score: the highest band whose lower threshold it reaches."""
    index = np.searchsorted(np.asarray(thresholds), np.asarray(scores), side="right")
    return [BAND_NAMES[i] for i in index]


def score_frame(
    features: pd.DataFrame,
    segments: Sequence[str],
    model: RiskModel,
    model_version: str,
    options: ScoringOptions = ScoringOptions(),
) -> pd.DataFrame:
    """scores.csv rows for a feature table (account, as_of, features...).

    Raises:
        ScoringError: the model was trained on another feature registry version.
    """
    if model.registry_version != registry_version():
        raise ScoringError(
            f"model {model_version} was trained on feature registry {model.registry_version}, "
            f"this code computes {registry_version()}; retrain or score with matching code"
        )
    matrix = model.matrix(features)
    scores = model.predict(matrix)
    return pd.DataFrame(
        {
            "account": features["account"].to_numpy(),
            "as_of": features["as_of"].to_numpy(dtype=np.int64),
            "score": scores,
            "band": band_of(scores, options.bands),
            "segment": list(segments),
            "model_version": model_version,
            "reasons": [";".join(r) for r in model.reasons(matrix, top=options.reasons)],
        },
        columns=list(SCORE_COLUMNS),
    )


def score_dataset(
    data_dir: Path, model: RiskModel, model_version: str, options: ScoringOptions
) -> pd.DataFrame:
    """Score every snapshot of a dataset directory (snapshots.csv, or each account as of its
    newest transaction), through the batch feature job. Segment is "country:business_type"."""
    dataset = load_dataset(data_dir)
    evidence = parse_dataset_documents(
        dataset, workers=options.workers, cache_dir=options.cache_dir, progress=options.progress
    )
    features = featurize(dataset, evidence.by_account, now=options.now)
    segments = [
        f"{dataset.accounts[a].get('country') or 'unknown'}:"
        f"{dataset.accounts[a].get('business_type') or 'unknown'}"
        for a in features["account"]
    ]
    return score_frame(features, segments, model, model_version, options)
