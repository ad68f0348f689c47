"""Training wiring: dataset -> snapshots -> features -> split -> booster -> calibration ->
evaluation -> one MLflow run -> a registered `provider-risk` version aliased `challenger`.

The engine (`training.engines`) decides only how features are built and where the booster is
fit; every other step, and what is logged and registered, is the same for all engines.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
from tqdm import tqdm

from features import FEATURE_NAMES, monotone_constraints, registry_version
from training import lineage, registry, tracking
from training.dataset import Dataset, DatasetError, load_dataset
from training.engines import (
    DaskConfig,
    Device,
    Engine,
    EngineError,
    EngineName,
    PandasEngine,
    device_problem,
    open_engine,
)
from training.rules_baseline import rules_score
from training.steps import plots
from training.steps.calibrate import Method, fit_calibrator
from training.steps.card import CardFacts, render_card
from training.steps.evaluate import evaluate_scores, overall, segment_columns
from training.steps.model import RiskModel, booster_margin
from training.steps.snapshots import (
    default_snapshots,
    label_snapshots,
    unlabelled_count,
)
from training.steps.split import (
    SPLITS,
    SplitConfig,
    split_frames,
    split_periods,
    start_of_test_period,
    time_split,
)
from training.steps.train import TrainConfig, learned_features

log = logging.getLogger(__name__)
HOLDOUT_ARTIFACT = "holdout/test.parquet"


@dataclass(frozen=True)
class TrainOptions:
    """Everything a training run is parameterised by, besides the data and the store."""

    horizon_days: int = 90
    split: SplitConfig = field(default_factory=SplitConfig)
    booster: TrainConfig = field(default_factory=TrainConfig)
    calibration: Method = "sigmoid"
    cache_dir: Path | None = None
    workers: int | None = None
    progress: bool = False
    engine: EngineName = "pandas"
    device: Device = "cpu"
    dask: DaskConfig = field(default_factory=DaskConfig)


@dataclass(frozen=True)
class Examples:
    """Labelled, split snapshots with features and segments, how many snapshots were left out
    for want of a label, and where the test period starts (None when not split)."""

    frame: pd.DataFrame
    unlabelled: int
    test_start: int | None = None


@dataclass(frozen=True)
class Trained:
    """A fitted model and its evaluation on the test split."""

    model: RiskModel
    table: pd.DataFrame  # evaluate_scores of model and rules on the test split
    test: pd.DataFrame  # test examples with segment columns, `score` and `rules`
    importance: pd.Series
    sizes: dict[str, int]
    positives: dict[str, int]
    periods: dict[str, tuple[int, int]]  # first and last as_of of each split


@dataclass(frozen=True)
class TrainReport:
    """What a `train` run produced."""

    run_id: str
    version: str
    metrics: dict[str, float]
    rules: dict[str, float]
    skipped_unlabelled: int
    dropped_labels: int


def dataset_digest(directory: Path) -> str:
    """sha256 over every file of the dataset directory (relative path and bytes, sorted)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


def build_examples(
    dataset: Dataset, options: TrainOptions, *, split: bool = True, engine: Engine | None = None
) -> Examples:
    """Labelled, split snapshots with every registered feature and their segment columns.

    Snapshots come from snapshots.csv when the dataset has one, else `default_snapshots`.
    With `split=False` every labelled snapshot is kept in one split named "holdout" (for a
    later dataset no model has seen). Features come from `engine` (default: pandas). Raises
    DatasetError when labels.csv is missing or the labels cannot train a model.
    """
    labels = dataset.labels
    if labels is None:
        raise DatasetError("labels.csv", "file not found (training needs outcomes)")
    snapshots = dataset.snapshots
    if snapshots is None:
        snapshots = default_snapshots(dataset.accounts, labels)
    missing = unlabelled_count(snapshots, labels)
    if missing:
        log.warning("%d snapshots of accounts without a label are left out", missing)
    labelled = label_snapshots(snapshots, labels, horizon_days=options.horizon_days)
    test_start = start_of_test_period(labelled, options.split) if split else None
    chosen = (
        time_split(labelled, options.split, horizon_days=options.horizon_days)
        if split
        else labelled.assign(split="holdout")
    )
    frame = (engine or PandasEngine()).featurize(
        dataset,
        chosen,
        cache_dir=options.cache_dir,
        workers=options.workers,
        progress=options.progress,
    )
    segments = segment_columns(frame, dataset.accounts)
    names = list(FEATURE_NAMES)
    keys = frame.drop(columns=names)
    return Examples(pd.concat([keys, segments, frame.loc[:, names]], axis=1), missing, test_start)


def _xy(frame: pd.DataFrame, names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    matrix = frame.loc[:, list(names)].to_numpy(dtype=np.float32)
    return matrix, frame["target"].to_numpy(dtype=np.int64)


def fit_and_evaluate(
    examples: pd.DataFrame, options: TrainOptions, *, engine: Engine | None = None
) -> Trained:
    """Train on the train split (early stopping and calibration on the calibration split),
    then evaluate model and rules baseline on the test split. The booster is fit by `engine`
    (default: pandas) on `options.device`, from the features `options.booster.features` selects."""
    names, monotone = learned_features(
        FEATURE_NAMES, monotone_constraints(), options.booster.features
    )
    parts = split_frames(examples)
    train, calibration, test = (_xy(parts[name], names) for name in SPLITS)
    booster = (engine or PandasEngine()).fit(
        train,
        calibration,
        feature_names=names,
        monotone=monotone,
        config=options.booster,
        device=options.device,
    )
    calibrator = fit_calibrator(
        booster_margin(booster, calibration[0], names), calibration[1], options.calibration
    )
    model = RiskModel(booster, calibrator, names, registry_version(), options.horizon_days)
    scored = parts["test"].assign(
        score=model.predict(test[0]), rules=rules_score(parts["test"]).to_numpy()
    )
    table = evaluate_scores(
        scored["target"],
        {"model": scored["score"], "rules": scored["rules"]},
        scored[["country", "business_type", "phase"]],
    )
    importance = plots.mean_abs_contribution(model.contributions(test[0]), names)
    return Trained(
        model=model,
        table=table,
        test=scored,
        importance=importance,
        sizes={name: len(parts[name]) for name in SPLITS},
        positives={name: int(parts[name]["target"].sum()) for name in SPLITS},
        periods=split_periods(examples),
    )


def utc_date(seconds: int) -> str:
    """A Unix second as an ISO 8601 UTC timestamp, for params and the model card."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def period_params(trained: Trained, test_start: int | None) -> dict[str, str]:
    """`test_start` and each split's `as_of` range (`first..last`), as MLflow params."""
    params = {
        f"as_of_{name}": f"{utc_date(a)}..{utc_date(b)}" for name, (a, b) in trained.periods.items()
    }
    if test_start is not None:
        params["test_start"] = utc_date(test_start)
    return params


def _log_run(
    trained: Trained, options: TrainOptions, data_dir: Path, dataset: Dataset, examples: Examples
) -> str:
    """Log params, input, metrics, plots, card and holdout of the active run; return the
    dataset's digest."""
    digest = dataset_digest(data_dir)
    unlabelled = examples.unlabelled
    lineage.log_dataset_input(data_dir, digest)
    periods = period_params(trained, examples.test_start)
    mlflow.log_params(
        {
            "data": str(data_dir.resolve()),
            "engine": options.engine,
            "device": options.device,
            "labels_dropped_unknown_accounts": dataset.dropped_labels,
            "snapshots_unlabelled": unlabelled,
            "dataset_sha256": digest,
            "registry_version": trained.model.registry_version,
            "feature_count": len(trained.model.feature_names),
            "horizon_days": options.horizon_days,
            "calibration": options.calibration,
            "split_train": options.split.train,
            "split_calibration": options.split.calibration,
            # The booster is cut after its best iteration, so this is best_iteration + 1.
            "boosted_rounds": trained.model.booster.num_boosted_rounds(),
            **{f"xgb_{k}": v for k, v in options.booster.params().items()},
            **{f"rows_{k}": v for k, v in trained.sizes.items()},
            **{f"positives_{k}": v for k, v in trained.positives.items()},
            **periods,
        }
    )
    mlflow.set_tags({"run_kind": "train", "horizon_days": str(options.horizon_days)})
    for scorer, prefix in (("model", "test_"), ("rules", "rules_test_")):
        values = overall(trained.table, scorer)
        mlflow.log_metrics({prefix + k: v for k, v in values.items() if np.isfinite(v)})
    mlflow.log_text(trained.table.to_csv(index=False), "evaluation/segments.csv")
    target = trained.test["target"].to_numpy()
    scores = {"model": trained.test["score"].to_numpy(), "rules": trained.test["rules"].to_numpy()}
    figures = {
        "roc.png": plots.roc_figure(target, scores),
        "pr.png": plots.pr_figure(target, scores),
        "calibration.png": plots.calibration_figure(target, scores["model"]),
        "score_distribution.png": plots.distribution_figure(target, scores["model"]),
        "importance.png": plots.importance_figure(trained.importance),
    }
    for name, figure in figures.items():
        mlflow.log_figure(figure, f"plots/{name}")
    facts = CardFacts(
        dataset=str(data_dir.resolve()),
        digest=digest,
        registry_version=trained.model.registry_version,
        feature_count=len(trained.model.feature_names),
        horizon_days=options.horizon_days,
        calibration=options.calibration,
        split_sizes=trained.sizes,
        split_positives=trained.positives,
        feature_set=options.booster.features,
        test_start=periods.get("test_start", "none"),
        periods={name: periods.get(f"as_of_{name}", "none") for name in SPLITS},
    )
    card = render_card(facts, trained.table, trained.importance, trained.test)
    mlflow.log_text(card, "model_card.md")
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / Path(HOLDOUT_ARTIFACT).name
        trained.test.drop(columns=["score", "rules"]).to_parquet(path, index=False)
        mlflow.log_artifact(str(path), str(Path(HOLDOUT_ARTIFACT).parent))
    return digest


def run_training(data_dir: Path, experiment: str, options: TrainOptions) -> TrainReport:
    """Train, evaluate and log one run, then register it as `provider-risk@challenger`.

    The registry changes only after the run has been logged completely; a failure before
    that leaves the run marked FAILED and the registry untouched. Raises EngineError, before
    anything is read or logged, when `options.device` cannot be used here.
    """
    problem = device_problem(options.device)
    if problem:
        raise EngineError(f"device {options.device}: {problem}")
    uri = tracking.tracking_uri()
    tracking.use_store(uri)
    stages = ("load", "features", "train", "log", "register")
    with tqdm(total=len(stages), desc="train", unit="step", disable=not options.progress) as bar:
        dataset = load_dataset(data_dir)
        bar.update()
        with open_engine(options.engine, options.dask) as engine:
            examples = build_examples(dataset, options, engine=engine)
            bar.update()
            trained = fit_and_evaluate(examples.frame, options, engine=engine)
            bar.update()
        experiment_id = tracking.ensure_experiment(experiment, uri)
        with (
            tracking.quiet_mlflow(),
            mlflow.start_run(experiment_id=experiment_id, run_name="train") as run,
        ):
            digest = _log_run(trained, options, data_dir, dataset, examples)
            info = tracking.log_risk_model(trained.model, trained.test)
        bar.update()
        run_id = run.info.run_id
        tested = utc_date(examples.test_start) if examples.test_start is not None else None
        version = registry.register_challenger(
            info.model_uri,
            run_id,
            tags=lineage.version_tags(run_id, digest),
            description=lineage.version_description(data_dir, digest, tested),
        )
        lineage.tag_run_with_version(run_id, version)
        bar.update()
    return TrainReport(
        run_id=run.info.run_id,
        version=version,
        metrics=overall(trained.table, "model"),
        rules=overall(trained.table, "rules"),
        skipped_unlabelled=examples.unlabelled,
        dropped_labels=dataset.dropped_labels,
    )
