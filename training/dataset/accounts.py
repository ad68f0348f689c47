"""Read accounts.jsonl: one Stripe Account object per line, keyed by id."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from training.dataset.columns import implausible_second
from training.dataset.encoding import describe, undecodable
from training.dataset.errors import DatasetError

ACCOUNTS_FILE = "accounts.jsonl"


def read_accounts(path: Path) -> dict[str, dict[str, Any]]:
    """Account objects by id, in file order. Blank lines are skipped; anything else that is not
    UTF-8, not a JSON object with a non-empty string `id`, or repeats an id, is a DatasetError
    naming the line. A file with no account at all is one too: nothing else in the dataset
    can refer to an account then."""
    if not path.is_file():
        raise DatasetError(ACCOUNTS_FILE, "file not found (every dataset needs one)")
    accounts: dict[str, dict[str, Any]] = {}
    with path.open("rb") as lines:
        for row, raw in enumerate(lines, start=1):
            problem = undecodable(raw)
            if problem is not None:
                raise DatasetError(ACCOUNTS_FILE, describe(problem), row=row)
            line = raw.decode("utf-8")
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
            created = account.get("created")
            if isinstance(created, int) and (problem_at := implausible_second(created)):
                raise DatasetError(ACCOUNTS_FILE, problem_at, row=row, column="created")
            if account_id in accounts:
                raise DatasetError(
                    ACCOUNTS_FILE, f"account {account_id!r} appears twice", row=row, column="id"
                )
            accounts[account_id] = account
    if not accounts:
        raise DatasetError(ACCOUNTS_FILE, "holds no accounts")
    return accounts
