"""Review claims and remembered resolutions: who works on a review, the band it was resolved at.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
COLUMNS = ("claimed_by", "claimed_at", "band_at_resolution", "confirmed_action_id")


def upgrade() -> None:
    # batch mode: SQLite cannot ALTER most things in place; on PostgreSQL it is plain ALTERs.
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(16), nullable=True))
        batch.add_column(sa.Column("claimed_at", TIMESTAMP, nullable=True))
        batch.add_column(sa.Column("band_at_resolution", sa.String(32), nullable=True))
        batch.add_column(sa.Column("confirmed_action_id", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        for column in COLUMNS:
            batch.drop_column(column)
