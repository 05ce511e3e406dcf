"""Response: reserve units, dispatches, ballot-box escort seals and handovers, situation reports.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    ("reserve_units", "station"),
    ("dispatches", "unit_id"),
    ("dispatches", "incident_id"),
    ("escort_seals", "tps_code"),
    ("escort_handovers", "tps_code"),
]
TABLES_CHILDREN_FIRST = [
    "sitreps",
    "escort_handovers",
    "escort_seals",
    "dispatches",
    "reserve_units",
]


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _code(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(64), nullable=nullable)


def _kind(name: str) -> sa.Column:
    return sa.Column(name, sa.String(32), nullable=False)


def _int(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def upgrade() -> None:
    op.create_table(
        "reserve_units",
        _id(),
        sa.Column("code", sa.String(140), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        _code("unit_code", nullable=True),
        _code("station"),
        _int("officers"),
        _int("plan_id"),
        _kind("status"),
        _int("dispatch_id", nullable=True),
        _when("updated_at"),
        _pk("reserve_units"),
        sa.UniqueConstraint("code", name=op.f("uq_reserve_units_code")),
    )
    op.create_table(
        "dispatches",
        _id(),
        _int("unit_id"),
        _int("incident_id"),
        _code("station"),
        _int("officers"),
        sa.Column("eta_min", sa.Double(), nullable=False),
        _kind("status"),
        sa.Column("override_reason", sa.Text(), nullable=True),
        _int("left_at_station"),
        _code("created_by"),
        _when("created_at"),
        _when("updated_at"),
        _when("closed_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["reserve_units.id"], name=op.f("fk_dispatches_unit_id_reserve_units")
        ),
        _pk("dispatches"),
    )
    op.create_table(
        "escort_seals",
        _id(),
        _code("tps_code"),
        _kind("box"),
        _code("seal"),
        _code("recorded_by"),
        _when("recorded_at"),
        _pk("escort_seals"),
        sa.UniqueConstraint("tps_code", "box", name=op.f("uq_escort_seals_tps_code")),
    )
    op.create_table(
        "escort_handovers",
        _id(),
        _code("tps_code"),
        _kind("leg"),
        _kind("side"),
        _code("confirmed_by"),
        sa.Column("receiver_name", sa.String(200), nullable=True),
        sa.Column("seals", sa.JSON(), nullable=False),
        _when("at"),
        _when("received_at"),
        _pk("escort_handovers"),
        sa.UniqueConstraint("tps_code", "leg", "side", name=op.f("uq_escort_handovers_tps_code")),
    )
    op.create_table(
        "sitreps",
        _id(),
        _when("at"),
        _kind("kind"),
        sa.Column("slot", sa.String(32), nullable=True),
        _code("created_by"),
        sa.Column("pdf_path", sa.Text(), nullable=False),
        sa.Column("xlsx_path", sa.Text(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        _pk("sitreps"),
        sa.UniqueConstraint("slot", name=op.f("uq_sitreps_slot")),
    )
    for table, column in INDEXES:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def downgrade() -> None:
    for table, column in INDEXES:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    for table in TABLES_CHILDREN_FIRST:
        op.drop_table(table)
