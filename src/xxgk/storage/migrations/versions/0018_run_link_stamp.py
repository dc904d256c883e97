"""Each audit run records the stamp of the state its link passes left (audit_runs.linked), so a
re-run that finds the same state and identity inputs skips them (audit/relink.py; issue 16).

Revision ID: 0018_run_link_stamp
Revises: 0017_compile_inputs
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_run_link_stamp"
down_revision = "0017_compile_inputs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_runs") as batch:
        batch.add_column(sa.Column("linked", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_runs") as batch:
        batch.drop_column("linked")
