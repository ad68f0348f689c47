"""Benchmark: generate 10,000 accounts (documents rendered) against same-run baselines.

Target: under 2 minutes on 2 cores, peak memory under 2 GB (summed over the main process and
its workers, sampled from /proc). Baselines, each the median of
three repeats in this run: writing the generated transactions frame with bare
`DataFrame.to_csv`, and numpy drawing as many random values as the file has cells.
"""

from __future__ import annotations

import io
import os
import resource
import statistics
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from training.synth.config import GeneratorConfig
from training.synth.dataset import generate

ACCOUNTS = 10_000
WORKERS = min(2, os.cpu_count() or 1)


def _median_seconds(work, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _descendants(root: int) -> list[int]:
    """Process ids under `root` (workers are forked by a fork server, a child of ours)."""
    parent = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        children = [p for p, pp in parent.items() if pp == pid]
        found += children
        frontier += children
    return found


def _rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakMemory:
    """Samples the summed resident memory of this process and all its descendants."""

    def __init__(self, every: float = 0.25) -> None:
        self.every, self.peak_mb, self._stop = every, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            total = sum(_rss_mb(p) for p in [me, *_descendants(me)])
            self.peak_mb = max(self.peak_mb, total)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@pytest.mark.benchmark
def test_generate_ten_thousand_accounts(tmp_path):
    with PeakMemory() as memory:
        started = time.perf_counter()
        summary = generate(GeneratorConfig(accounts=ACCOUNTS, seed=1), tmp_path, workers=WORKERS)
        seconds = time.perf_counter() - started
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    frame = pd.read_csv(tmp_path / "transactions.csv", keep_default_na=False)
    rows = len(frame)
    to_csv = _median_seconds(lambda: frame.to_csv(io.StringIO(), index=False))
    rng = np.random.default_rng(0)
    draw = _median_seconds(lambda: rng.random((rows, len(frame.columns))))

    print(
        f"\ngenerate {ACCOUNTS} accounts, {WORKERS} workers: {seconds:.1f} s "
        f"({summary.transactions} transactions, {summary.documents} documents)"
    )
    print(f"  transactions/s: {summary.transactions / seconds:,.0f}")
    print(f"  peak RSS: all processes {memory.peak_mb:.0f} MB (sampled), main {own_mb:.0f} MB")
    print(
        f"  baseline pandas to_csv of the same frame: {to_csv:.2f} s "
        f"(generate / baseline = {seconds / to_csv:.1f}x)"
    )
    print(
        f"  baseline numpy drawing {rows} x {len(frame.columns)} values: {draw:.3f} s "
        f"(generate / baseline = {seconds / draw:.0f}x)"
    )
    assert summary.transactions == rows
    assert memory.peak_mb < 2048
    assert seconds < 120
