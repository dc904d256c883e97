"""Table 2's cells and the six sections' texts an office gives a compiled year, per (agency, year)
(xxgk/register/models.py CompileInput; issue 14 items 6-7).

Revision ID: 0017_compile_inputs
Revises: 0011_batch_safety
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0017_compile_inputs"
down_revision = "0011_batch_safety"
branch_labels = None
depends_on = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "register_compile_inputs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("data", JSON_DOC, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=255), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
            name=op.f("fk_register_compile_inputs_agency_id_agencies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_compile_inputs")),
        sa.UniqueConstraint("agency_id", "year", "kind", name="uq_register_compile_inputs_agency_year_kind"),
    )


def downgrade() -> None:
    op.drop_table("register_compile_inputs")
