"""Evaluation of a registered model on a whole labelled dataset directory: a later temporal
holdout (`connect-risk generate --start` shifted) or another platform's export.

Every labelled snapshot is scored by the model and by the transparent rules baseline; both get
the training metric set, overall and per segment, on the same snapshots. The horizon is the
model's own, so the targets mean what the model was trained to predict.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd

from features import registry_version
from training import registry, tracking
from training.dataset import load_dataset
from training.pipeline import TrainOptions, build_examples, dataset_digest
from training.rules_baseline import rules_score
from training.scoring import ScoringError
from training.steps import plots
from training.steps.evaluate import SEGMENT_KEYS, evaluate_scores, overall
from training.steps.metrics import METRIC_NAMES, bootstrap_intervals
from training.steps.model import RiskModel

TABLE_ARTIFACT = "evaluation/segments.csv"
SUMMARY_ARTIFACT = "evaluation/summary.txt"
# The metrics shown side by side; positives and count follow on their own line.
SHOWN = METRIC_NAMES[:8]


Intervals = dict[str, dict[str, tuple[float, float]]]  # scorer -> metric -> (low, high)


@dataclass(frozen=True)
class Evaluated:
    """Scored snapshots (`target`, segment columns, `score`, `rules`), their metric table and
    90% account-bootstrap intervals of the overall ROC-AUC and recall@5%FPR."""

    scored: pd.DataFrame
    table: pd.DataFrame
    unlabelled: int
    intervals: Intervals


@dataclass(frozen=True)
class EvaluationReport:
    """What an `evaluate` run produced."""

    run_id: str
    model_version: str
    table: pd.DataFrame
    unlabelled: int
    intervals: Intervals


def evaluate_model(data_dir: Path, model: RiskModel, options: TrainOptions) -> Evaluated:
    """Score every labelled snapshot of `data_dir` with `model` and the rules baseline.

    The targets use the model's horizon, whatever `options.horizon_days` says.

    Raises:
        DatasetError: the directory breaks the data contract, or has no usable labels.
        ScoringError: the model was trained on another feature registry version.
    """
    if model.registry_version != registry_version():
        raise ScoringError(
            f"the model was trained on feature registry {model.registry_version}, this code "
            f"computes {registry_version()}; evaluate with matching code"
        )
    options = dataclasses.replace(options, horizon_days=model.horizon_days)
    examples = build_examples(load_dataset(data_dir), options, split=False)
    frame = examples.frame
    scored = frame.assign(
        score=model.predict(model.matrix(frame)), rules=rules_score(frame).to_numpy()
    )
    table = evaluate_scores(
        scored["target"],
        {"model": scored["score"], "rules": scored["rules"]},
        scored[list(SEGMENT_KEYS)],
    )
    accounts = scored["account"].to_numpy()
    intervals = {
        name: bootstrap_intervals(scored["target"].to_numpy(), scored[column].to_numpy(), accounts)
        for name, column in (("model", "score"), ("rules", "rules"))
    }
    return Evaluated(scored, table, examples.unlabelled, intervals)


def _cell(value: float) -> str:
    return f"{value:.4f}" if np.isfinite(value) else "-"


def _bounds(pair: tuple[float, float]) -> str:
    return f"[{_cell(pair[0])}, {_cell(pair[1])}]"


def format_table(table: pd.DataFrame, intervals: Intervals | None = None) -> str:
    """A plain-text rendering of an `evaluate_scores` table of `model` and `rules`: the overall
    metrics side by side (with 90% intervals where given), then ROC-AUC and recall@5%FPR for
    each segment value."""
    model, rules = overall(table, "model"), overall(table, "rules")
    bounds = intervals or {}
    lines = [
        f"snapshots {int(model['count'])}, positives {int(model['positives'])}",
        f"  {'metric':<18} {'model':>8} {'rules':>8}   90% interval (accounts resampled)",
    ]
    for n in SHOWN:
        line = f"  {n:<18} {_cell(model[n]):>8} {_cell(rules[n]):>8}"
        if n in bounds.get("model", {}) and n in bounds.get("rules", {}):
            line += f"   model {_bounds(bounds['model'][n])} rules {_bounds(bounds['rules'][n])}"
        lines.append(line)
    lines.append(
        f"  {'segment':<34} {'count':>6} {'pos':>5} {'auc':>7} {'rules':>7} "
        f"{'r@5%':>7} {'rules':>7}"
    )
    by_scorer = {
        s: table[(table["scorer"] == s) & (table["segment"] != "all")] for s in ("model", "rules")
    }
    paired = by_scorer["model"].merge(
        by_scorer["rules"], on=["segment", "value"], suffixes=("", "_rules")
    )
    for _, row in paired.iterrows():
        name = f"{row['segment']}={row['value']}"
        lines.append(
            f"  {name:<34} {int(row['count']):>6} {int(row['positives']):>5} "
            f"{_cell(row['roc_auc']):>7} {_cell(row['roc_auc_rules']):>7} "
            f"{_cell(row['recall_at_5fpr']):>7} {_cell(row['recall_at_5fpr_rules']):>7}"
        )
    return "\n".join(lines)


def _log(evaluated: Evaluated, data_dir: Path, model_uri: str, version: str) -> None:
    mlflow.log_params(
        {
            "data": str(data_dir),
            "dataset_sha256": dataset_digest(data_dir),
            "model_uri": model_uri,
            "registry_version": registry_version(),
            "snapshots_unlabelled": evaluated.unlabelled,
        }
    )
    mlflow.set_tags({"run_kind": "evaluate", "model_version": version, "model_uri": model_uri})
    for scorer, prefix in (("model", ""), ("rules", "rules_")):
        values = overall(evaluated.table, scorer)
        for name, (low, high) in evaluated.intervals[scorer].items():
            values |= {f"{name}_p05": low, f"{name}_p95": high}
        mlflow.log_metrics({prefix + k: v for k, v in values.items() if np.isfinite(v)})
    mlflow.log_text(evaluated.table.to_csv(index=False), TABLE_ARTIFACT)
    summary = format_table(evaluated.table, evaluated.intervals)
    mlflow.log_text(summary + "\n", SUMMARY_ARTIFACT)
    target = evaluated.scored["target"].to_numpy()
    scores = {
        "model": evaluated.scored["score"].to_numpy(),
        "rules": evaluated.scored["rules"].to_numpy(),
    }
    if len(np.unique(target)) == 2:
        mlflow.log_figure(plots.roc_figure(target, scores), "plots/roc.png")
    mlflow.log_figure(plots.calibration_figure(target, scores["model"]), "plots/calibration.png")


def run_evaluation(
    data_dir: Path, model: RiskModel, model_uri: str, experiment: str, options: TrainOptions
) -> EvaluationReport:
    """Evaluate `model` (loaded from `model_uri`) on `data_dir` and log one MLflow run named
    `evaluation`: metrics of model and rules, the segment table, the model version as a tag.

    Nothing is logged when the data cannot be evaluated.

    Raises:
        DatasetError, ScoringError: see `evaluate_model`.
    """
    uri = tracking.tracking_uri()
    tracking.use_store(uri)
    version = registry.describe_uri(model_uri)
    evaluated = evaluate_model(data_dir, model, options)
    experiment_id = tracking.ensure_experiment(experiment, uri)
    with (
        tracking.quiet_mlflow(),
        mlflow.start_run(experiment_id=experiment_id, run_name="evaluation") as run,
    ):
        _log(evaluated, data_dir, model_uri, version)
    return EvaluationReport(
        run.info.run_id, version, evaluated.table, evaluated.unlabelled, evaluated.intervals
    )
