"""Write one foreign dataset directory: accounts.jsonl, transactions.csv, labels.csv and
documents/ACCOUNT/*.pdf (no snapshots.csv: consumers fall back to their default snapshots)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from foreign.activity import Clientele, make_pool, regulars, transactions
from foreign.paperwork import documents
from foreign.population import DAY, account_object, draw_providers

COLUMNS = (
    "id", "account", "created", "type", "amount", "currency", "status", "card_country",
    "card_fingerprint", "customer", "failure_code",
)  # fmt: skip


@dataclass(frozen=True)
class ForeignConfig:
    """How many providers, the seed, the observed window and whether PDFs are written."""

    accounts: int = 600
    seed: int = 0
    start: dt.date = dt.date(2025, 3, 1)
    days: int = 330
    documents: bool = True


@dataclass(frozen=True)
class Summary:
    """What was written: providers, closures for risk, transactions and PDF files."""

    accounts: int
    positives: int
    transactions: int
    documents: int


def make_dataset(out: Path, config: ForeignConfig = ForeignConfig()) -> Summary:
    """Write a dataset directory at `out` (created if missing); the same config gives the same
    files."""
    rng = np.random.default_rng([config.seed, 20_251_125])
    start = int(dt.datetime.combine(config.start, dt.time(), dt.UTC).timestamp())
    end = start + config.days * DAY
    providers = draw_providers(rng, config.accounts, start, end, config.documents)
    pool = make_pool(rng, config.accounts)
    rings: dict[int, Clientele] = {}
    frames, labels, pdfs = [], [], 0
    out.mkdir(parents=True, exist_ok=True)
    with (out / "accounts.jsonl").open("w", encoding="utf-8") as handle:
        for p in providers:
            handle.write(json.dumps(account_object(p, rng)) + "\n")
            ring = None
            if p.ring is not None:
                # A ring's members charge one shared handful of cards back and forth.
                ring = rings.setdefault(p.ring, regulars(rng, pool, p.country, 12))
            frame, closed = transactions(rng, p, pool, ring, end)
            frames.append(frame)
            bad = closed is not None and closed < end
            labels.append((p.id, int(bad), closed if bad else end, p.mechanism if bad else ""))
            if p.documents:
                folder = out / "documents" / p.id
                for name, data in documents(p, rng).items():
                    folder.mkdir(parents=True, exist_ok=True)
                    (folder / name).write_bytes(data)
                    pdfs += 1
    kept = [f for f in frames if not f.empty]
    table = pd.concat(kept, ignore_index=True).loc[:, list(COLUMNS)]
    # Exports come in no particular order.
    table = table.sample(frac=1.0, random_state=config.seed).reset_index(drop=True)
    table.to_csv(out / "transactions.csv", index=False)
    outcome = pd.DataFrame(labels, columns=["account", "label", "labeled_at", "reason"])
    outcome.to_csv(out / "labels.csv", index=False)
    return Summary(len(providers), int(outcome["label"].sum()), len(table), pdfs)
