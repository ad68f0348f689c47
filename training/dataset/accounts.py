"""Read accounts.jsonl: one Stripe Account object per line, keyed by id."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from training.dataset.errors import DatasetError

ACCOUNTS_FILE = "accounts.jsonl"


def read_accounts(path: Path) -> dict[str, dict[str, Any]]:
    """Account objects by id, in file order. Blank lines are skipped; anything else that is not
    a JSON object with a non-empty string `id`, or repeats an id, is a DatasetError."""
    if not path.is_file():
        raise DatasetError(ACCOUNTS_FILE, "file not found (every dataset needs one)")
    accounts: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as lines:
        for row, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                account = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(ACCOUNTS_FILE, f"not valid JSON ({exc})", row=row) from None
            if not isinstance(account, dict):
                kind = type(account).__name__
                raise DatasetError(ACCOUNTS_FILE, f"expected a JSON object, got {kind}", row=row)
            account_id = account.get("id")
            if not isinstance(account_id, str) or not account_id:
                raise DatasetError(
                    ACCOUNTS_FILE, "missing or empty account id", row=row, column="id"
                )
            if account_id in accounts:
                raise DatasetError(
                    ACCOUNTS_FILE, f"account {account_id!r} appears twice", row=row, column="id"
                )
            accounts[account_id] = account
    return accounts
