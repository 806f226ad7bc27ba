"""Lab check runs: one row per check of a lab workspace, per user.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lab_runs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("lab_id", sa.String(length=80), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_lab_runs_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_runs")),
    )
    with op.batch_alter_table("lab_runs", schema=None) as batch_op:
        batch_op.create_index("ix_lab_runs_user_lab_time", ["user_id", "lab_id", "checked_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lab_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_lab_runs_user_lab_time")
    op.drop_table("lab_runs")
