"""Initial schema: areas, TPS, units, personnel, guarded objects, indicators, datasets, plans.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column) pairs that get an index; created after the tables.
INDEXES = [
    ("areas", "level"),
    ("plans", "regency_code"),
    ("personnel", "unit_code"),
    ("tps", "desa_code"),
]
TABLES_CHILDREN_FIRST = [
    "tps",
    "personnel",
    "units",
    "plans",
    "guarded_objects",
    "desa_indicators",
    "datasets_loaded",
    "areas",
]


def upgrade() -> None:
    op.create_table(
        "areas",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=True),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lng", sa.Double(), nullable=True),
        sa.Column("area_km2", sa.Double(), nullable=True),
        sa.Column("geometry", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_areas")),
    )
    op.create_table(
        "datasets_loaded",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("regency_codes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_datasets_loaded")),
    )
    op.create_table(
        "desa_indicators",
        sa.Column("kode_desa", sa.String(64), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("kode_desa", name=op.f("pk_desa_indicators")),
    )
    op.create_table(
        "guarded_objects",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("kecamatan_code", sa.String(64), nullable=False),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.Column("lng", sa.Double(), nullable=False),
        sa.Column("guard_size", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_guarded_objects")),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("regency_code", sa.String(64), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["plans.id"], name=op.f("fk_plans_parent_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    op.create_table(
        "units",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("parent_code", sa.String(64), nullable=True),
        sa.Column("kecamatan_codes", sa.JSON(), nullable=False),
        sa.Column("base_desa_code", sa.String(64), nullable=True),
        sa.Column("base_lat", sa.Double(), nullable=False),
        sa.Column("base_lng", sa.Double(), nullable=False),
        sa.Column("base_precision", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_units")),
    )
    op.create_table(
        "personnel",
        sa.Column("nrp", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("rank", sa.String(32), nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("origin", sa.String(32), nullable=False),
        sa.Column("function", sa.String(200), nullable=False),
        sa.Column("base_lat", sa.Double(), nullable=False),
        sa.Column("base_lng", sa.Double(), nullable=False),
        sa.Column("availability", sa.String(32), nullable=False),
        sa.Column("barred_desa", sa.JSON(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_code"], ["units.code"], name=op.f("fk_personnel_unit_code_units")
        ),
        sa.PrimaryKeyConstraint("nrp", name=op.f("pk_personnel")),
    )
    op.create_table(
        "tps",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("desa_code", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("voters", sa.Integer(), nullable=True),
        sa.Column("voters_precision", sa.String(32), nullable=False),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.Column("lng", sa.Double(), nullable=False),
        sa.Column("location_precision", sa.String(32), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("vulnerability", sa.String(32), nullable=False),
        sa.Column("class_reasons", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["desa_code"], ["areas.code"], name=op.f("fk_tps_desa_code_areas")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_tps")),
    )
    for table, column in INDEXES:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def downgrade() -> None:
    for table, column in INDEXES:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    for table in TABLES_CHILDREN_FIRST:
        op.drop_table(table)
