"""The evidence a decision saw, and the account's evidence when an analyst resolved it: an
analyst's resolution yields to new evidence that moves the band, not to a new model or policy
alone.

Rows from before this revision keep both empty, and their resolutions follow the band alone,
as before.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy): the append-only triggers on decisions stay in place.
    op.add_column("decisions", sa.Column("evidence_digest", sa.String(64), nullable=True))
    op.add_column("reviews", sa.Column("evidence_at_resolution", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("evidence_at_resolution")
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("evidence_digest")
