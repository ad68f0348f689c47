"""Sending actions to Stripe: the capability of an action, retry time and dispatch lease;
when an account disconnected the platform; the shadow challenger's score beside a decision.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
ACTION_COLUMNS = ("capability", "next_attempt_at", "lease_owner", "lease_expires_at")


def upgrade() -> None:
    # batch mode: SQLite cannot ALTER most things in place; on PostgreSQL it is plain ALTERs.
    with op.batch_alter_table("actions") as batch:
        batch.add_column(sa.Column("capability", sa.String(64), nullable=True))
        batch.add_column(sa.Column("next_attempt_at", TIMESTAMP, nullable=True))
        batch.add_column(sa.Column("lease_owner", sa.String(100), nullable=True))
        batch.add_column(sa.Column("lease_expires_at", TIMESTAMP, nullable=True))
        batch.create_index(op.f("ix_actions_status_created_at"), ["status", "created_at"])
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("deauthorized_at", TIMESTAMP, nullable=True))
    # Plain ADD COLUMN (both backends have it): a batch rebuild would drop the triggers that
    # keep decisions append-only.
    op.add_column("decisions", sa.Column("shadow_score", sa.Float(), nullable=True))
    op.add_column("decisions", sa.Column("shadow_model_version", sa.String(100), nullable=True))


def downgrade() -> None:
    op.drop_column("decisions", "shadow_model_version")
    op.drop_column("decisions", "shadow_score")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("deauthorized_at")
    with op.batch_alter_table("actions") as batch:
        batch.drop_index(op.f("ix_actions_status_created_at"))
        for column in ACTION_COLUMNS:
            batch.drop_column(column)
