"""Compact storage: the report_facts table (cells the cross-year rules need), reports.changed_run
(the outputs' incremental interface), and existing report JSON rewritten in its compact form
(storage/compact.py) with its facts filled in (storage/facts.py).

Revision ID: 0016_compact_storage
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0016_compact_storage"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    op.create_table(
        "report_facts",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("cell", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_report_facts_report_id_reports"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("report_id", "cell", name="pk_report_facts"),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("changed_run", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_reports_changed_run"), ["changed_run"], unique=False)
    _compact_existing()


def _compact_existing() -> None:
    """Existing reports, a batch at a time: JSON → compact form, facts written."""
    from xxgk.storage.compact import compact
    from xxgk.storage.facts import fact_rows

    bind = op.get_bind()
    reports = sa.table("reports", sa.column("id", sa.Integer), sa.column("data", sa.JSON))
    facts = sa.table(
        "report_facts",
        sa.column("report_id", sa.Integer),
        sa.column("cell", sa.String),
        sa.column("value", sa.String),
        sa.column("status", sa.String),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(reports.c.id, reports.c.data)
            .where(reports.c.id > last)
            .order_by(reports.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        updates: list[dict[str, Any]] = []
        new_facts: list[dict[str, Any]] = []
        for rid, data in rows:
            if isinstance(data, str):  # some drivers hand JSON back as text
                data = json.loads(data)
            updates.append({"rid": rid, "data": compact(data)})
            new_facts.extend(fact_rows(rid, data))
        bind.execute(
            reports.update().where(reports.c.id == sa.bindparam("rid")).values(data=sa.bindparam("data")),
            updates,
        )
        if new_facts:
            bind.execute(facts.insert(), new_facts)
        last = rows[-1][0]


def downgrade() -> None:
    # The compact form is valid report JSON (absent fields read as null), so nothing to expand.
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_changed_run"))
        batch_op.drop_column("changed_run")
    op.drop_table("report_facts")
