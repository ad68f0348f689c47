"""Promotion wiring: score challenger, champion and rules on one holdout, apply the gate, log
the comparison as an MLflow run and move `champion` when the gate passes."""

from __future__ import annotations

import dataclasses
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd

from features import registry_version
from training import registry, tracking
from training.dataset import load_dataset
from training.pipeline import HOLDOUT_ARTIFACT, TrainOptions, build_examples, dataset_digest
from training.rules_baseline import rules_score
from training.steps.evaluate import evaluate_scores, overall
from training.steps.model import RiskModel
from training.steps.promote import Decision, GateConfig, decide
from training.steps.split import split_frames

log = logging.getLogger(__name__)


class PromotionError(RuntimeError):
    """Nothing to promote: no challenger, the challenger is already champion, or it is a
    model this code (and so the service) cannot serve."""


@dataclass(frozen=True)
class PromotionReport:
    """The decision, the versions compared, the holdout used and the comparison run (None for
    a dry run, which logs nothing)."""

    decision: Decision
    challenger: str
    champion: str | None
    holdout: str
    run_id: str | None
    table: pd.DataFrame


def load_holdout(
    data_dir: Path | None, challenger_run: str, options: TrainOptions, *, whole: bool = False
) -> pd.DataFrame:
    """The test split of `data_dir` when given (every labelled snapshot of it when `whole`),
    else the challenger run's logged test set."""
    if data_dir is not None:
        dataset = load_dataset(data_dir)
        if whole:
            return build_examples(dataset, options, split=False).frame
        return split_frames(build_examples(dataset, options).frame)["test"]
    with tempfile.TemporaryDirectory() as scratch, tracking.quiet_mlflow():
        path = mlflow.artifacts.download_artifacts(
            run_id=challenger_run, artifact_path=HOLDOUT_ARTIFACT, dst_path=scratch
        )
        return pd.read_parquet(path)


def run_promotion(
    experiment: str,
    gate: GateConfig,
    *,
    data_dir: Path | None = None,
    whole: bool = False,
    options: TrainOptions | None = None,
    dry_run: bool = False,
) -> PromotionReport:
    """Compare `challenger` with `champion` (or, with no champion, the rules baseline) on the
    same holdout; log the comparison run; move `champion` when the gate passes. A dry run
    decides the same way but logs no run and moves no alias."""
    uri = tracking.tracking_uri()
    tracking.use_store(uri)
    challenger = registry.aliased(registry.CHALLENGER)
    if challenger is None:
        raise PromotionError("no `challenger` version of provider-risk: run `train` first")
    champion = registry.aliased(registry.CHAMPION)
    if champion is not None and champion.version == challenger.version:
        raise PromotionError(f"version {challenger.version} is already champion")
    if data_dir is None and not challenger.run_id:
        raise PromotionError(f"version {challenger.version} has no run: pass --data")
    challenger_model = tracking.load_risk_model(registry.version_uri(challenger))
    if challenger_model.registry_version != registry_version():
        raise PromotionError(
            f"challenger v{challenger.version} was trained on feature registry "
            f"{challenger_model.registry_version}, this code computes {registry_version()}: "
            "the service would refuse to load it; retrain it with this code"
        )
    # Judged on the question the challenger answers: its own horizon's targets.
    horizon = challenger_model.horizon_days
    options = dataclasses.replace(options or TrainOptions(), horizon_days=horizon)
    if data_dir is not None and whole and challenger.run_id:
        _warn_if_trained_on(data_dir, str(challenger.run_id), challenger.version)
    holdout = load_holdout(data_dir, str(challenger.run_id), options, whole=whole)
    scores = {"challenger": _scores(challenger_model, holdout)}
    champion_horizon = None
    if champion is not None:
        champion_model = tracking.load_risk_model(registry.version_uri(champion))
        champion_horizon = champion_model.horizon_days
        if champion_horizon != horizon:
            log.warning(
                "champion v%s predicts closure within %d days, challenger v%s within %d: both "
                "are judged on %d-day targets",
                champion.version,
                champion_horizon,
                challenger.version,
                horizon,
                horizon,
            )
        scores["champion"] = _scores(champion_model, holdout)
    scores["rules"] = rules_score(holdout)
    table = evaluate_scores(
        holdout["target"], scores, holdout[["country", "business_type", "phase"]]
    )
    decision = decide(
        overall(table, "challenger"),
        overall(table, "champion") if champion is not None else None,
        overall(table, "rules"),
        gate,
    )
    source = f"runs:/{challenger.run_id}"
    if data_dir is not None:
        source = f"{data_dir} ({'every snapshot' if whole else 'test split'})"
    if dry_run:
        return PromotionReport(
            decision=decision,
            challenger=str(challenger.version),
            champion=str(champion.version) if champion is not None else None,
            holdout=source,
            run_id=None,
            table=table,
        )
    experiment_id = tracking.ensure_experiment(experiment, uri)
    with (
        tracking.quiet_mlflow(),
        mlflow.start_run(experiment_id=experiment_id, run_name="promotion") as run,
    ):
        mlflow.log_params(
            {
                "challenger_version": challenger.version,
                "champion_version": champion.version if champion is not None else "none",
                "metric": gate.metric,
                "margin": gate.margin,
                "ece_tolerance": gate.ece_tolerance,
                "min_positives": gate.min_positives,
                "holdout_positives": int(holdout["target"].sum()),
                "holdout_snapshots": len(holdout),
                "holdout": source,
                "challenger_horizon_days": horizon,
                "champion_horizon_days": champion_horizon or "none",
            }
        )
        for scorer in scores:
            values = overall(table, scorer)
            mlflow.log_metrics({f"{scorer}_{k}": v for k, v in values.items() if np.isfinite(v)})
        mlflow.log_text(table.to_csv(index=False), "comparison/segments.csv")
        mlflow.set_tags(
            {
                "run_kind": "promotion",
                "decision": "promote" if decision.promote else "keep",
                "reason": decision.reason,
                "too_few_positives": str(decision.too_few).lower(),
            }
        )
        if decision.promote:
            registry.crown(challenger.version)
    return PromotionReport(
        decision=decision,
        challenger=str(challenger.version),
        champion=str(champion.version) if champion is not None else None,
        holdout=source,
        run_id=run.info.run_id,
        table=table,
    )


def _warn_if_trained_on(data_dir: Path, run_id: str, version: str) -> None:
    """`--whole` judges on every snapshot: in-sample when it is the challenger's own data."""
    trained_on = mlflow.get_run(run_id).data.params.get("dataset_sha256")
    if trained_on is not None and trained_on == dataset_digest(data_dir):
        log.warning(
            "%s is the dataset challenger v%s was trained on: --whole judges it in-sample; "
            "use a later dataset, or the test split (no --whole)",
            data_dir,
            version,
        )


def _scores(model: RiskModel, holdout: pd.DataFrame) -> pd.Series:
    return pd.Series(model.predict(model.matrix(holdout)), index=holdout.index)
