"""A tiny dataset directory with real PDFs (two accounts upload the same file)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas


def _pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


@pytest.fixture
def featurize_dir(tmp_path: Path) -> Path:
    """Three accounts; a and b share a certificate file, c uploaded nothing."""
    root = tmp_path / "data"
    (root / "documents").mkdir(parents=True)
    accounts = [
        {"id": f"acct_{x}", "object": "account", "country": "US", "created": 1_700_000_000}
        for x in "abc"
    ]
    (root / "accounts.jsonl").write_text("".join(json.dumps(a) + "\n" for a in accounts))
    (root / "transactions.csv").write_text(
        "id,account,created,type,amount,currency,status,card_country,card_fingerprint,customer,"
        "failure_code\n"
        "ch_1,acct_a,1700000100,charge,1000,usd,succeeded,US,fp1,cus_1,\n"
        "ch_2,acct_b,1700000200,charge,2000,usd,succeeded,US,fp1,,\n"
        "ch_3,acct_b,1700000300,charge,2000,usd,failed,US,fp2,,incorrect_cvc\n"
    )
    shared = _pdf("Certificate of Incorporation - Example Ltd")
    for account, files in {"acct_a": {"cert.pdf": shared}, "acct_b": {"c.pdf": shared}}.items():
        (root / "documents" / account).mkdir()
        for name, data in files.items():
            (root / "documents" / account / name).write_bytes(data)
    (root / "documents" / "acct_b" / "statement.pdf").write_bytes(_pdf("Bank statement"))
    return root
