"""Exam goals: each user's exam date (and study hours a week) per exam, what the plan and the
dashboard's countdown use.

Revision ID: 0008
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exam_goals",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("exam_code", sa.String(length=32), nullable=False),
        sa.Column("exam_date", sa.Date(), nullable=False),
        sa.Column("hours_per_week", sa.Float(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_exam_goals_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "exam_code", name=op.f("pk_exam_goals")),
    )


def downgrade() -> None:
    op.drop_table("exam_goals")
