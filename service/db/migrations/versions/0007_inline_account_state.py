"""Out-of-order account states: whether an account's stored state is a caller's inline copy
(POST /v1/scores) or Stripe's own word (an inline copy, stamped when it arrived, had been
outranking Stripe events created a moment earlier but delivered later), and the
capability.updated events newer than the stored state (they had moved its time forward, so
that an older but complete account.updated delivered after them was dropped).

Rows from before this revision count as Stripe's word and hold no patches: the columns cannot
tell, and the newer-state-wins rule keeps working for them as before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out, not imported from the models, so this revision never changes.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(
            # A plain "0", not sa.false(): an SQL expression makes batch mode rebuild the
            # table on SQLite, where ADD COLUMN does; PostgreSQL reads '0' as false.
            sa.Column("stripe_state_inline", sa.Boolean(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("capability_patches", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("capability_patches")
        batch.drop_column("stripe_state_inline")
