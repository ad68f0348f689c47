"""The verification tier a decision set and the documents it asks for, kept with the decision:
rescores after Stripe events return nothing to a caller, so only the record can say them.

Rows from before this revision keep them empty (the account view reads the tier from their
actions, as it did).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out, not imported from the models, so this revision never changes.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy): the append-only triggers on decisions stay in place.
    op.add_column("decisions", sa.Column("tier", sa.String(32), nullable=True))
    op.add_column("decisions", sa.Column("documents_to_collect", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("documents_to_collect")
        batch.drop_column("tier")
