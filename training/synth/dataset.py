"""Build a synthetic dataset directory (DESIGN.md §3) from a config, in parallel.

Each account draws from its own SeedSequence child, and chunks of accounts are written in
account order, so the files are byte-identical for a seed whatever the number of workers.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.pool
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from training.synth.accounts import build_account
from training.synth.config import GeneratorConfig, World, make_world
from training.synth.onboarding import draw_documents
from training.synth.outcomes import snapshot_times
from training.synth.plan import Archetype, DocumentSpec
from training.synth.population import draw_population
from training.synth.profile import account_rng, draw_plan
from training.synth.provider import ProviderPlan, ProviderSeed
from training.synth.transactions import COLUMNS, Movements, draw_movements, movements_csv

CHUNK = 64  # accounts per task; fixed, so output never depends on how work is split
OUTPUTS = ("accounts.jsonl", "transactions.csv", "labels.csv", "snapshots.csv", "documents")
Renderer = Callable[[DocumentSpec], bytes]


@dataclass(frozen=True)
class Bundle:
    """Everything generated for one account, before anything is written."""

    plan: ProviderPlan
    documents: list[DocumentSpec]
    account: dict[str, Any]
    movements: Movements


@dataclass
class Summary:
    """What a generation run produced, for the CLI's one-line report."""

    accounts: int = 0
    transactions: int = 0
    documents: int = 0
    closed_for_risk: int = 0
    archetypes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def line(self, out: Path) -> str:
        """The one-line report the CLI prints."""
        bad = sum(v for k, v in self.archetypes.items() if k != Archetype.GOOD)
        parts = ", ".join(
            f"{k} {100 * v / self.accounts:.1f}%"
            for k, v in sorted(self.archetypes.items())
            if k != Archetype.GOOD
        )
        return (
            f"generated {self.accounts} accounts into {out}: bad {100 * bad / self.accounts:.1f}%"
            f" ({parts}); label 1 {100 * self.closed_for_risk / self.accounts:.1f}%;"
            f" {self.transactions} transactions; {self.documents} documents;"
            f" {self.seconds:.1f} s"
        )


def build_onboarding(
    seed: ProviderSeed,
    config: GeneratorConfig,
    world: World,
    rng: np.random.Generator | None = None,
) -> tuple[ProviderPlan, list[DocumentSpec], dict[str, Any]]:
    """Draw one account's plan, onboarding documents and Account object."""
    rng = rng if rng is not None else account_rng(config.entropy, seed.index)
    plan = draw_plan(seed, world, rng)
    documents = draw_documents(plan, rng)
    return plan, documents, build_account(plan, {d.kind for d in documents}, rng)


def build_bundle(seed: ProviderSeed, config: GeneratorConfig, world: World) -> Bundle:
    """Draw one account's plan, documents, Account object and money movements."""
    rng = account_rng(config.entropy, seed.index)
    plan, documents, account = build_onboarding(seed, config, world, rng)
    return Bundle(plan, documents, account, draw_movements(plan, world, rng))


def iter_bundles(config: GeneratorConfig) -> Iterator[Bundle]:
    """Every account's bundle in order, in this process (for tests and notebooks)."""
    world = make_world(config)
    for seed in draw_population(config, world):
        yield build_bundle(seed, config, world)


@dataclass(frozen=True)
class _Task:
    config: GeneratorConfig
    world: World
    seeds: list[ProviderSeed]
    out: Path


@dataclass(frozen=True)
class _ChunkText:
    accounts: bytes
    transactions: bytes
    labels: bytes
    snapshots: bytes
    n_transactions: int
    n_documents: int
    archetypes: Counter[str]
    closed_for_risk: int


def _renderer(config: GeneratorConfig) -> Renderer | None:
    if not config.render_documents:
        return None
    from training.synth.documents import render_document

    return render_document


def _run_chunk(task: _Task) -> _ChunkText:
    render = _renderer(task.config)
    bundles = [build_bundle(seed, task.config, task.world) for seed in task.seeds]
    n_documents = 0
    for bundle in bundles:
        if render is None or not bundle.documents:
            continue
        folder = task.out / "documents" / bundle.plan.account_id
        folder.mkdir(parents=True, exist_ok=True)
        for spec in bundle.documents:
            (folder / spec.filename).write_bytes(render(spec))
            n_documents += 1
    movements = [b.movements for b in bundles]
    transactions = movements_csv([b.plan.account_id for b in bundles], movements, task.world.salt)
    labels: list[str] = []
    snapshots: list[str] = []
    for b in bundles:
        o = b.plan.outcome
        labels.append(f"{b.plan.account_id},{o.label},{o.labeled_at},{o.reason}\n")
        snapshots.extend(
            f"{b.plan.account_id},{t}\n" for t in snapshot_times(b.plan.created, o, task.world)
        )
    return _ChunkText(
        accounts="".join(
            json.dumps(b.account, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
            for b in bundles
        ).encode(),
        transactions=transactions,
        labels="".join(labels).encode(),
        snapshots="".join(snapshots).encode(),
        n_transactions=sum(len(m) for m in movements),
        n_documents=n_documents,
        archetypes=Counter(str(b.plan.archetype) for b in bundles),
        closed_for_risk=sum(b.plan.outcome.label for b in bundles),
    )


def _pool(workers: int) -> multiprocessing.pool.Pool:
    # A fork server forks workers from a clean process that has imported the generator once:
    # cheap to start, and safe where forking a threaded parent is not.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["training.synth.dataset"])
    return context.Pool(workers)


def clear_outputs(out: Path) -> None:
    """Remove a previous dataset's files from `out` (only the names this generator writes)."""
    for name in OUTPUTS:
        path = out / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def generate(
    config: GeneratorConfig, out: Path, workers: int = 1, progress: bool = False
) -> Summary:
    """Write the dataset for `config` into `out` (which must exist) and summarise it.

    Its four files appear only once the whole dataset is written (`accounts.jsonl` last)."""
    started = time.perf_counter()
    world = make_world(config)
    seeds = draw_population(config, world)
    tasks = [_Task(config, world, seeds[i : i + CHUNK], out) for i in range(0, len(seeds), CHUNK)]
    summary = Summary(accounts=config.accounts)
    # Written under a temporary name and renamed once complete, accounts.jsonl last: a run that
    # is interrupted leaves no file that looks like a finished dataset.
    names = ("transactions.csv", "labels.csv", "snapshots.csv", "accounts.jsonl")
    partial = {name: out / f".{name}.partial" for name in names}
    handles = {name: partial[name].open("wb") for name in names}
    complete = False
    try:
        handles["transactions.csv"].write((",".join(COLUMNS) + "\n").encode())
        handles["labels.csv"].write(b"account,label,labeled_at,reason\n")
        handles["snapshots.csv"].write(b"account,as_of\n")
        pool = _pool(workers) if workers > 1 else None
        try:
            results = pool.imap(_run_chunk, tasks) if pool else map(_run_chunk, tasks)
            bar = tqdm(results, total=len(tasks), unit="chunk", disable=not progress, leave=False)
            for chunk in bar:
                handles["accounts.jsonl"].write(chunk.accounts)
                handles["transactions.csv"].write(chunk.transactions)
                handles["labels.csv"].write(chunk.labels)
                handles["snapshots.csv"].write(chunk.snapshots)
                summary.transactions += chunk.n_transactions
                summary.documents += chunk.n_documents
                summary.archetypes.update(chunk.archetypes)
                summary.closed_for_risk += chunk.closed_for_risk
        finally:
            if pool is not None:
                pool.close()
                pool.join()
        complete = True
    finally:
        for handle in handles.values():
            handle.close()
        for name in names:
            if complete:
                os.replace(partial[name], out / name)
            else:
                partial[name].unlink(missing_ok=True)
    summary.seconds = time.perf_counter() - started
    return summary
