"""Why a printed agency name was linked to its agency (issue 10): agency_aliases.reason.

Revision ID: 0010_agency_links
Revises: 0014_register
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_agency_links"
down_revision = "0014_register"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agency_aliases") as batch:
        batch.add_column(sa.Column("reason", sa.String(length=1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agency_aliases") as batch:
        batch.drop_column("reason")
