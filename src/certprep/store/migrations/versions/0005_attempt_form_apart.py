"""The attempt's form is stored apart from its state.

The state is rewritten on every answer; the form (the questions, their order and the order of
their options: some 10 of its 11 kB) never changes after the attempt is created. Keeping it in its
own column makes each answer's write about a thirtieth of the size. Existing rows are moved: the
form leaves ``state`` for ``form``; the downgrade puts it back.

Revision ID: 0005
Revises: 0004
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_attempts = sa.table("attempts", sa.column("id", sa.String), sa.column("state", sa.JSON), sa.column("form", sa.JSON))
_BATCH = 500


def _move(to_form: bool) -> None:
    """Move every row's form out of its state (``to_form``) or back into it, a batch at a time."""
    bind = op.get_bind()
    last = ""
    while True:
        rows = bind.execute(
            sa.select(_attempts.c.id, _attempts.c.state, _attempts.c.form)
            .where(_attempts.c.id > last)
            .order_by(_attempts.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            state: dict[str, Any] = dict(row.state)
            if to_form and "form" in state:
                form = state.pop("form")
                bind.execute(_attempts.update().where(_attempts.c.id == row.id).values(state=state, form=form))
            elif not to_form and row.form is not None:
                state["form"] = row.form
                bind.execute(_attempts.update().where(_attempts.c.id == row.id).values(state=state, form=None))
        last = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("form", sa.JSON(), nullable=True))
    _move(to_form=True)


def downgrade() -> None:
    _move(to_form=False)
    # Not a batch operation: on SQLite that copies the table, and dropping the old one with
    # foreign keys on would delete the response log that points at it. SQLite 3.35+ drops a column
    # in place, as PostgreSQL does.
    op.execute("ALTER TABLE attempts DROP COLUMN form")
