"""A tiny trained RiskModel and a small hand-written dataset directory for the review helpers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from review_support import feature_frame

from features import FEATURE_NAMES, monotone_constraints, registry_version
from training.steps.calibrate import fit_calibrator
from training.steps.model import RiskModel, booster_margin
from training.steps.train import TrainConfig, fit_booster


@pytest.fixture(scope="session")
def tiny_model() -> RiskModel:
    def xy(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        return frame[list(FEATURE_NAMES)].to_numpy(np.float32), frame["target"].to_numpy()

    train, calibration = xy(feature_frame(1200, 1)), xy(feature_frame(600, 2))
    booster = fit_booster(
        train,
        calibration,
        feature_names=FEATURE_NAMES,
        monotone=monotone_constraints(),
        config=TrainConfig(num_boost_round=40, early_stopping_rounds=10),
    )
    margin = booster_margin(booster, calibration[0], FEATURE_NAMES)
    return RiskModel(
        booster, fit_calibrator(margin, calibration[1]), FEATURE_NAMES, registry_version(), 90
    )


DAY = 86_400
JAN, FEB = 1_735_689_600, 1_738_368_000  # 2025-01-01, 2025-02-01 UTC
HEADER = (
    "id,account,created,type,amount,currency,status,card_country,card_fingerprint,customer,"
    "failure_code\n"
)
ROWS = (
    "ch_1,acct_a,{t1},charge,1000,usd,succeeded,US,fp1,cus_1,\n"
    "ch_2,acct_a,{t2},charge,3000,usd,succeeded,US,fp2,cus_2,\n"
    "ch_3,acct_a,{t2},charge,500,usd,failed,GB,fp3,,card_declined\n"
    "re_1,acct_a,{t2},refund,400,usd,succeeded,,,,\n"
    "ch_4,acct_b,{t3},charge,2000,eur,succeeded,DE,fp4,cus_3,\n"
    "dp_1,acct_b,{t3},dispute,2000,eur,lost,,,,\n"
    "po_1,acct_b,{t3},payout,1500,eur,paid,,,,\n"
)


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    """acct_a (US company, January, bad, 2 files), acct_b (DE individual, February, good,
    1 file), acct_c (US company, February, unlabelled, no transactions, no files)."""
    root = tmp_path / "data"
    root.mkdir()
    accounts = [
        {"id": "acct_a", "country": "US", "business_type": "company", "created": JAN},
        {"id": "acct_b", "country": "DE", "business_type": "individual", "created": FEB},
        {"id": "acct_c", "country": "US", "business_type": "company", "created": FEB + DAY},
    ]
    (root / "accounts.jsonl").write_text("".join(json.dumps(a) + "\n" for a in accounts))
    rows = ROWS.format(t1=JAN + DAY, t2=FEB + DAY, t3=FEB + 2 * DAY)
    (root / "transactions.csv").write_text(HEADER + rows)
    (root / "labels.csv").write_text(
        f"account,label,labeled_at\nacct_a,1,{FEB + 10 * DAY}\nacct_b,0,{FEB + 60 * DAY}\n"
    )
    for account, names in (("acct_a", ("x.pdf", "y.pdf")), ("acct_b", ("z.pdf",))):
        folder = root / "documents" / account
        folder.mkdir(parents=True)
        for name in names:
            # Different bytes per file: the same file twice in a folder counts once.
            (folder / name).write_bytes(b"not a pdf at all: " + name.encode())
    return root
