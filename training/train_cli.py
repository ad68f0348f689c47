"""`connect-risk train`, `promote`, `score` and `evaluate`: the model lifecycle from the command
line."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from training import registry, tracking
from training.cli_args import non_negative_int, positive_int
from training.dataset import DatasetError
from training.engines import DEVICES, ENGINES, DaskConfig, EngineError, device_problem
from training.evaluation import format_table, run_evaluation
from training.pipeline import TrainOptions, run_training
from training.promotion import PromotionError, run_promotion
from training.scoring import ScoringError, ScoringOptions, parse_bands, score_dataset
from training.steps.evaluate import overall
from training.steps.metrics import METRIC_NAMES
from training.steps.model import RiskModel
from training.steps.promote import GateConfig

DEFAULT_EXPERIMENT = "provider-risk"
DEFAULT_MODEL_URI = f"models:/{registry.MODEL_NAME}@{registry.CHAMPION}"


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _fail(command: str, message: str, code: int) -> int:
    sys.stderr.write(f"connect-risk {command}: error: {message}\n")
    return code


def _bands(text: str) -> tuple[float, ...]:
    try:
        return parse_bands(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _common(parser: argparse.ArgumentParser, *, data_required: bool) -> None:
    parser.add_argument("--data", type=Path, required=data_required, help="dataset directory")
    parser.add_argument("--cache", type=Path, default=None, help="parsed-document cache dir")
    parser.add_argument("--workers", type=positive_int, default=None, help="document parsers")


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `train`, `promote`, `score` and `evaluate`."""
    train = subparsers.add_parser(
        "train",
        help="train, evaluate and register a provider-risk model (alias challenger)",
        description="Train a calibrated XGBoost model on a dataset directory, log it to "
        "MLFLOW_TRACKING_URI (default sqlite:///var/mlflow.db) and alias it `challenger`.",
    )
    _common(train, data_required=True)
    train.add_argument("--experiment", default=DEFAULT_EXPERIMENT, help="MLflow experiment")
    train.add_argument("--horizon-days", type=positive_int, default=90, help="target horizon")
    train.add_argument("--calibration", choices=("sigmoid", "isotonic"), default="sigmoid")
    train.add_argument(
        "--engine",
        choices=ENGINES,
        default="pandas",
        help="pandas: in this process; dask: features and xgboost.dask on a Dask cluster",
    )
    train.add_argument(
        "--scheduler",
        default=None,
        help="with --engine dask: Dask scheduler address (default: a local 2-worker cluster)",
    )
    train.add_argument("--device", choices=DEVICES, default="cpu", help="XGBoost device")
    train.set_defaults(handler=run_train)

    promote = subparsers.add_parser(
        "promote",
        help="move `champion` to the challenger if it wins on the same holdout",
        description="Compare challenger with champion (or, first, the rules baseline) on the "
        "test split of --data, or on the challenger run's logged test set, and log the result.",
    )
    _common(promote, data_required=False)
    promote.add_argument("--experiment", default=DEFAULT_EXPERIMENT, help="MLflow experiment")
    promote.add_argument("--metric", choices=METRIC_NAMES[:6], default="recall_at_5fpr")
    promote.add_argument(
        "--margin", type=float, default=0.02, help="required improvement (negative: allowed loss)"
    )
    promote.add_argument(
        "--ece-tolerance",
        type=float,
        default=0.5,
        help="allowed ECE loss against the champion, as a share of the holdout's positive rate",
    )
    promote.add_argument(
        "--min-positives",
        type=non_negative_int,
        default=50,
        help="fewest positive holdout snapshots that can separate two models; below it a "
        "champion is kept (a first model is still judged against the rules)",
    )
    promote.add_argument(
        "--whole",
        action="store_true",
        help="with --data: every labelled snapshot (a later dataset no model has seen), "
        "not only its test split",
    )
    promote.add_argument(
        "--dry-run",
        action="store_true",
        help="print the comparison and what would be done; log nothing, move no alias",
    )
    promote.set_defaults(handler=run_promote)

    score = subparsers.add_parser(
        "score",
        help="score a dataset directory into scores.csv",
        description="Score every snapshot of a dataset (snapshots.csv, or each account as of its "
        "newest transaction). Bands use fixed thresholds; the service's policy decides real ones.",
    )
    _common(score, data_required=True)
    score.add_argument("--out", type=Path, required=True, help="CSV file to write")
    score.add_argument("--model-uri", default=DEFAULT_MODEL_URI, help="MLflow model URI")
    score.add_argument("--bands", type=_bands, default=(0.05, 0.2, 0.5), help="thresholds")
    score.set_defaults(handler=run_score)

    evaluate = subparsers.add_parser(
        "evaluate",
        help="evaluate a model and the rules baseline on every labelled snapshot of a dataset",
        description="Score every labelled snapshot of --data (a later temporal holdout, or "
        "another platform's export) with the champion (or --model-uri) and the rules baseline, "
        "print their metrics overall and per segment, and log them as an MLflow run.",
    )
    _common(evaluate, data_required=True)
    evaluate.add_argument("--model-uri", default=DEFAULT_MODEL_URI, help="MLflow model URI")
    evaluate.add_argument("--experiment", default=DEFAULT_EXPERIMENT, help="MLflow experiment")
    evaluate.set_defaults(handler=run_evaluate)


def _data_problem(args: argparse.Namespace) -> str | None:
    if args.data is not None and not args.data.is_dir():
        return f"--data {args.data}: not a directory"
    if args.cache is not None and args.cache.exists() and not args.cache.is_dir():
        return f"--cache {args.cache}: not a directory"
    return None


def _logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")


def _engine_problem(args: argparse.Namespace) -> str | None:
    if args.scheduler is not None and args.engine != "dask":
        return "--scheduler needs --engine dask"
    problem = device_problem(args.device)
    return f"--device {args.device}: {problem}" if problem else None


def run_train(args: argparse.Namespace) -> int:
    """Train, log and register; print the test metrics next to the rules baseline's."""
    problem = _data_problem(args) or _engine_problem(args)
    if problem:
        return _fail("train", problem, 2)
    _logging()
    options = TrainOptions(
        horizon_days=args.horizon_days,
        calibration=args.calibration,
        cache_dir=args.cache,
        workers=args.workers,
        progress=sys.stderr.isatty(),
        engine=args.engine,
        device=args.device,
        dask=DaskConfig(scheduler=args.scheduler),
    )
    try:
        report = run_training(args.data, args.experiment, options)
    except DatasetError as exc:
        return _fail("train", f"{args.data}: {exc}", 1)
    except EngineError as exc:
        return _fail("train", str(exc), 2)
    if report.dropped_labels:
        _say(f"left out {report.dropped_labels} labels.csv rows of unknown accounts")
    _say(f"registered {registry.MODEL_NAME} version {report.version} as challenger")
    _say(f"run {report.run_id} in {tracking.tracking_uri()}")
    for name in METRIC_NAMES[:8]:
        _say(f"  {name:<18} model {report.metrics[name]:.4f}   rules {report.rules[name]:.4f}")
    return 0


def run_promote(args: argparse.Namespace) -> int:
    """Apply the promotion gate and say what was decided and why."""
    problem = _data_problem(args)
    if problem:
        return _fail("promote", problem, 2)
    if args.whole and args.data is None:
        return _fail("promote", "--whole needs --data", 2)
    if not -1 <= args.margin <= 1 or args.ece_tolerance < 0:
        return _fail("promote", "--margin must be in [-1, 1], --ece-tolerance >= 0", 2)
    _logging()
    gate = GateConfig(
        metric=args.metric,
        margin=args.margin,
        ece_tolerance=args.ece_tolerance,
        min_positives=args.min_positives,
    )
    options = TrainOptions(cache_dir=args.cache, workers=args.workers)
    try:
        report = run_promotion(
            args.experiment,
            gate,
            data_dir=args.data,
            whole=args.whole,
            options=options,
            dry_run=args.dry_run,
        )
    except (PromotionError, DatasetError) as exc:
        return _fail("promote", str(exc), 1)
    verdict = "promoted" if report.decision.promote else "kept"
    if args.dry_run:
        verdict = "would promote" if report.decision.promote else "would keep"
    incumbent = f"champion v{report.champion}" if report.champion else "the rules baseline"
    _say(f"{verdict}: challenger v{report.challenger} vs {incumbent} on {report.holdout}")
    _say(f"  {report.decision.reason}")
    for line in comparison_lines(report.table, gate.metric):
        _say(line)
    if args.dry_run:
        _say("  dry run: nothing logged, no alias moved")
    return 0


def comparison_lines(table: pd.DataFrame, metric: str) -> list[str]:
    """One line per scorer: the deciding metric, ECE and the holdout's size."""
    lines = []
    for scorer in dict.fromkeys(table["scorer"]):
        values = overall(table, scorer)
        lines.append(
            f"  {scorer:<10} {metric} {values[metric]:.4f}   ece {values['ece']:.4f}   "
            f"positives {int(values['positives'])} of {int(values['count'])}"
        )
    return lines


def _load_model(model_uri: str) -> RiskModel | str:
    """The model behind `model_uri`, or the error message saying why it cannot be loaded."""
    tracking.use_store(tracking.tracking_uri())
    try:
        return tracking.load_risk_model(model_uri)
    except Exception as exc:  # MLflow raises many exception types for a bad URI
        return f"--model-uri {model_uri}: cannot load ({exc})"


def run_score(args: argparse.Namespace) -> int:
    """Score the dataset with the given model and write scores.csv."""
    problem = _data_problem(args)
    if problem:
        return _fail("score", problem, 2)
    if args.out.is_dir():
        return _fail("score", f"--out {args.out}: is a directory", 2)
    _logging()
    model = _load_model(args.model_uri)
    if isinstance(model, str):
        return _fail("score", model, 2)
    options = ScoringOptions(
        bands=args.bands, cache_dir=args.cache, workers=args.workers, progress=sys.stderr.isatty()
    )
    version = registry.describe_uri(args.model_uri)
    try:
        frame = score_dataset(args.data, model, version, options)
    except (DatasetError, ScoringError) as exc:
        return _fail("score", f"{args.data}: {exc}", 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(args.out, index=False)
    counts = frame["band"].value_counts().to_dict()
    _say(f"wrote {len(frame)} scores to {args.out} with {version}: {counts}")
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    """Evaluate the model and the rules baseline on a labelled dataset; print and log them."""
    problem = _data_problem(args)
    if problem:
        return _fail("evaluate", problem, 2)
    _logging()
    model = _load_model(args.model_uri)
    if isinstance(model, str):
        return _fail("evaluate", model, 2)
    options = TrainOptions(cache_dir=args.cache, workers=args.workers, progress=sys.stderr.isatty())
    try:
        report = run_evaluation(args.data, model, args.model_uri, args.experiment, options)
    except (DatasetError, ScoringError) as exc:
        return _fail("evaluate", f"{args.data}: {exc}", 1)
    if report.unlabelled:
        _say(f"left out {report.unlabelled} snapshots of accounts without a label")
    _say(f"evaluated {report.model_version} on {args.data} (horizon {model.horizon_days} days)")
    _say(format_table(report.table, report.intervals))
    _say(f"run {report.run_id} in {tracking.tracking_uri()}")
    return 0
