"""Helpers for the route tests: keys, PDFs good and hostile, records written directly."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas
from svc_support import TEST_PEPPER

from service.auth.keys import issue_key
from service.db.database import Database
from service.db.models import ActionStatus
from service.db.repositories.accounts import ensure_account
from service.db.repositories.actions import plan_action
from service.db.repositories.decisions import NewDecision, record_decision
from service.db.repositories.reviews import open_review
from training.synth.documents.render import render_document
from training.synth.documents.samples import sample_spec
from training.synth.plan import DocumentKind

DOCUMENT_LIMIT = 200_000
MAX_PAGES = 3


@dataclass(frozen=True)
class KeyForTests:
    key_id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


IssueKey = Callable[[list[str]], KeyForTests]


def issue_into(database: Database, scopes: list[str]) -> KeyForTests:
    """Issue a key directly in `database`, hashed with the test pepper."""
    with database.session() as session, session.begin():
        issued = issue_key(
            session=session, name="routes test", scopes=scopes, pepper=TEST_PEPPER.encode()
        )
    return KeyForTests(key_id=issued.principal.key_id, token=issued.token)


def good_pdf(kind: DocumentKind = DocumentKind.BANK_STATEMENT, seed: int = 0) -> bytes:
    """A readable synthetic onboarding document."""
    return render_document(sample_spec(kind, seed=seed))


def drawn_pdf(pages: int = 1, encrypt: StandardEncryption | None = None) -> bytes:
    """A plain text PDF of `pages` pages, password-protected if `encrypt` is given."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(595, 842), encrypt=encrypt)
    for page in range(pages):
        sheet.drawString(72, 760, f"Statement page {page + 1}")
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


class Records:
    """Accounts, decisions, actions and reviews written through the repositories."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.clock = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def decision(self, account_id: str, *, band: str = "low", **overrides: Any) -> str:
        """Append a decision (each one a second after the previous) and return its id."""
        self.clock += dt.timedelta(seconds=1)
        values: dict[str, Any] = {
            "account_id": account_id,
            "as_of": self.clock,
            "created_at": self.clock,
            "triggered_by": "api",
            "inputs_digest": "d" * 64,
            "features": {"account_age_days": 3.0},
            "score": 0.1,
            "band": band,
            "segment": "default",
            "reasons": ["account_age_days"],
            "model_version": "risk-model/1",
            "policy_version": "policy-1",
        }
        values.update(overrides)
        with self.database.session() as session, session.begin():
            ensure_account(session=session, account_id=account_id)
            return record_decision(session=session, decision=NewDecision(**values))

    def action(
        self,
        decision_id: str,
        account_id: str,
        kind: str,
        params: dict[str, Any],
        key: str,
        *,
        status: ActionStatus = ActionStatus.PLANNED,
        error: str | None = None,
    ) -> str:
        """Record an action of a decision and return its id."""
        with self.database.session() as session, session.begin():
            return plan_action(
                session=session,
                decision_id=decision_id,
                account_id=account_id,
                kind=kind,
                params=params,
                idempotency_key=key,
                status=status,
                error=error,
            ).id

    def review(self, account_id: str, decision_id: str | None = None) -> str:
        """Open a review for the account and return its id."""
        with self.database.session() as session, session.begin():
            ensure_account(session=session, account_id=account_id)
            return open_review(
                session=session,
                account_id=account_id,
                reason="manual_review tier",
                decision_id=decision_id,
            ).id
