"""Unbounded text for every column that holds user-controlled data (issue 11 item 5).

A path over 1,024 characters or an agency name over 255 aborted an audit on PostgreSQL while
SQLite, which ignores VARCHAR lengths, accepted it: the two back ends disagreed. These columns
become TEXT on both; the one bound left (a path's length, which PostgreSQL must index) is
enforced before the insert, identically (pipeline.MAX_PATH_BYTES).

On SQLite the tables are copied (batch mode); `storage.db.migrate` turns foreign keys off
around it, so the copy cannot cascade deletes into the dependent tables.

Revision ID: 0011_batch_safety
Revises: 0010_agency_links
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_batch_safety"
down_revision = "0010_agency_links"
branch_labels = None
depends_on = None

# table → [(column, old length, nullable)]
COLUMNS: dict[str, list[tuple[str, int, bool]]] = {
    "documents": [("path", 1024, False)],
    "agencies": [("key", 255, False), ("name", 255, False)],
    "agency_aliases": [("alias", 255, False)],
    "reports": [("agency_name", 255, True)],
    "findings": [("expected", 255, True), ("actual", 255, True)],
    "corrections": [("cell", 128, False), ("value", 64, True)],
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, length, nullable in columns:
                batch.alter_column(
                    name, type_=sa.Text(), existing_type=sa.String(length), existing_nullable=nullable
                )


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, length, nullable in columns:
                batch.alter_column(
                    name, type_=sa.String(length), existing_type=sa.Text(), existing_nullable=nullable
                )
