"""The Bawaslu rawan list: listed TPS with class, indicators and alasan, and its imports.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bawaslu_rawan",
        sa.Column("tps_code", sa.String(64), nullable=False),
        sa.Column("kelas", sa.String(32), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("alasan", sa.Text(), nullable=False),
        sa.Column("source_file", sa.String(200), nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tps_code"], ["tps.code"],
                                name=op.f("fk_bawaslu_rawan_tps_code_tps")),
        sa.PrimaryKeyConstraint("tps_code", name=op.f("pk_bawaslu_rawan")),
    )
    op.create_table(
        "bawaslu_rawan_imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file", sa.String(200), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("regency_codes", sa.JSON(), nullable=False),
        sa.Column("listed", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bawaslu_rawan_imports")),
    )
    op.create_index(op.f("ix_bawaslu_rawan_imports_sha256"), "bawaslu_rawan_imports", ["sha256"])


def downgrade() -> None:
    op.drop_index(op.f("ix_bawaslu_rawan_imports_sha256"), table_name="bawaslu_rawan_imports")
    op.drop_table("bawaslu_rawan_imports")
    op.drop_table("bawaslu_rawan")
