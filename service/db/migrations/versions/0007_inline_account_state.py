"""Whether an account's stored state is a caller's inline copy (POST /v1/scores) or Stripe's
own word: an inline copy, stamped when it arrived, had been outranking Stripe events created a
moment earlier but delivered later.

Rows from before this revision count as Stripe's word (false): the column cannot tell, and the
newer-state-wins rule keeps working for them as before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(
            sa.Column(
                "stripe_state_inline", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("stripe_state_inline")
