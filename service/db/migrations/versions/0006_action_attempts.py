"""The audit of actions: every request an action made to Stripe, with Stripe's answer (a
retry no longer erases the answers of the attempts before it; append-only, like decisions),
and why the policy planned each action.

Actions sent before this revision have no attempt rows (their last answer stays on the
action) and no reason.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out, not imported from the models, so this revision never changes.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
STATUS = sa.Enum(
    "planned",
    "applied",
    "failed",
    "skipped",
    name="action_status",
    native_enum=False,
    create_constraint=True,
    length=16,
)

APPEND_ONLY_SQLITE = """
CREATE TRIGGER action_attempts_no_{verb} BEFORE {verb} ON action_attempts
BEGIN
    SELECT RAISE(ABORT, 'action attempts are append-only');
END
"""

APPEND_ONLY_POSTGRES = [
    """
    CREATE FUNCTION action_attempts_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'action attempts are append-only' USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER action_attempts_append_only BEFORE UPDATE OR DELETE ON action_attempts
    FOR EACH ROW EXECUTE FUNCTION action_attempts_refuse_change()
    """,
    """
    CREATE TRIGGER action_attempts_no_truncate BEFORE TRUNCATE ON action_attempts
    FOR EACH STATEMENT EXECUTE FUNCTION action_attempts_refuse_change()
    """,
]


def upgrade() -> None:
    with op.batch_alter_table("actions") as batch:
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
    op.create_table(
        "action_attempts",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("action_id", sa.String(40), nullable=False),
        sa.Column("status", STATUS, nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("stripe_response", JSON, nullable=True),
        sa.Column("attempted_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name=op.f("fk_action_attempts_action_id_actions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_attempts")),
    )
    op.create_index(op.f("ix_action_attempts_action_id"), "action_attempts", ["action_id"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in APPEND_ONLY_POSTGRES:
            op.execute(statement)
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(APPEND_ONLY_SQLITE.format(verb=verb))


def downgrade() -> None:
    op.drop_table("action_attempts")  # its triggers go with it
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION action_attempts_refuse_change()")
    with op.batch_alter_table("actions") as batch:
        batch.drop_column("reason")
