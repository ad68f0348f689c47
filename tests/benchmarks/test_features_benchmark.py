"""Benchmark: transaction features of 1M transactions over 10,000 accounts, and one account online.

Targets: the batch under 10 s on 2 cores with peak memory under 2 GB; one account with 1,000
transactions well under 5 ms. Baselines, measured in the same run on the same frames (median
of repeats): a bare `df.groupby('account').amount.agg(['sum', 'count', 'mean'])` for the batch,
and the same groupby on the account's 1,000 rows for the single path.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from features import compute
from features.transactions import build_table, transaction_features

ROWS = 1_000_000
ACCOUNTS = 10_000
T0 = 1_735_689_600


def _median_seconds(work: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _strings(prefix: str, codes: np.ndarray) -> pd.Series:
    return pd.Series(np.char.add(prefix, codes.astype(str)), dtype="str")


def synthesise(rows: int, accounts: int, seed: int = 7) -> pd.DataFrame:
    """A contract-shaped transactions frame drawn with numpy alone (seeded)."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(
        np.array(["charge", "refund", "dispute", "payout"]), rows, p=[0.8, 0.08, 0.02, 0.1]
    )
    ok = rng.random(rows) < 0.9
    status = np.select(
        [kind == "charge", kind == "refund", kind == "dispute"],
        [np.where(ok, "succeeded", "failed"), "succeeded", "needs_response"],
        np.where(ok, "paid", "failed"),
    )
    carded = kind != "payout"
    failure = np.where(
        status == "failed", rng.choice(np.array(["incorrect_cvc", "insufficient_funds"]), rows), ""
    )
    return pd.DataFrame(
        {
            "id": _strings("tx_", np.arange(rows)),
            "account": _strings("acct_", rng.integers(0, accounts, rows)),
            "created": T0 + rng.integers(0, 365 * 86_400, rows),
            "type": pd.Series(kind, dtype="str"),
            "amount": rng.integers(100, 50_000, rows),
            "currency": pd.Series(rng.choice(np.array(["usd", "eur", "jpy"]), rows), dtype="str"),
            "status": pd.Series(status, dtype="str"),
            "card_country": pd.Series(
                np.where(carded, rng.choice(np.array(["US", "GB", "FR", "DE"]), rows), ""),
                dtype="str",
            ),
            "card_fingerprint": pd.Series(
                np.where(
                    carded, np.char.add("fp_", rng.integers(0, 300_000, rows).astype(str)), ""
                ),
                dtype="str",
            ),
            "customer": pd.Series(
                np.where(
                    carded, np.char.add("cus_", rng.integers(0, 200_000, rows).astype(str)), ""
                ),
                dtype="str",
            ),
            "failure_code": pd.Series(failure, dtype="str"),
        }
    )


class PeakRss:
    """Samples this process's resident memory every few milliseconds while in use."""

    def __init__(self) -> None:
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def current_mb() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, self.current_mb())
            time.sleep(0.005)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@pytest.mark.benchmark
def test_one_account_with_a_thousand_transactions() -> None:
    frame = synthesise(1_000, 1)
    account = {"id": "acct_0", "country": "US", "created": T0}
    as_of = int(frame["created"].max()) + 1

    def single() -> object:
        return compute(account, (), frame, as_of)

    def baseline() -> pd.DataFrame:
        return frame.groupby("type")["amount"].agg(["sum", "count", "mean"])

    single()
    per_call = _median_seconds(lambda: [single() for _ in range(20)], repeats=15) / 20
    base = _median_seconds(lambda: [baseline() for _ in range(20)], repeats=15) / 20
    print(
        f"\ncompute(), one account with 1,000 transactions (all features, no network): "
        f"{per_call * 1e3:.2f} ms (median of 15 x 20 calls) vs bare groupby-agg on its rows "
        f"{base * 1e3:.2f} ms -> ratio {per_call / base:.1f}x; target well under 5 ms"
    )
    assert per_call < 0.010


@pytest.mark.benchmark
def test_transaction_features_for_a_million_rows() -> None:
    frame = synthesise(ROWS, ACCOUNTS)
    newest = frame.groupby("account")["created"].max()
    accounts, as_of = newest.index.to_numpy(dtype=object), newest.to_numpy() + 1
    home = np.full(len(accounts), "US", dtype=object)

    def features() -> dict[str, np.ndarray]:
        return transaction_features(build_table(frame), accounts, as_of, home)

    def baseline() -> pd.DataFrame:
        return frame.groupby("account")["amount"].agg(["sum", "count", "mean"])

    before_mb = PeakRss.current_mb()
    with PeakRss() as rss:
        result = features()
    assert len(result["charge_count_all"]) == ACCOUNTS
    assert (
        result["charge_count_all"].sum()
        == ((frame["type"] == "charge") & (frame["status"] == "succeeded")).sum()
    )
    seconds = _median_seconds(features, repeats=3)
    base = _median_seconds(baseline, repeats=3)
    print(
        f"\ntransaction features, {ROWS:,} rows / {ACCOUNTS:,} accounts "
        f"({len(result)} features): {seconds:.2f} s (median of 3) vs bare groupby-agg "
        f"{base:.3f} s -> ratio {seconds / base:.1f}x; target < 10 s"
    )
    print(
        f"memory: process peak {rss.peak_mb:.0f} MB (frame and interpreter before: "
        f"{before_mb:.0f} MB, so +{rss.peak_mb - before_mb:.0f} MB for the features); "
        "target < 2048 MB"
    )
    assert seconds < 10.0
    assert rss.peak_mb < 2048
