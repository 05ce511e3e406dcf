"""Liaison invite codes and incidents: reports, workflow steps, photos.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = sa.text("revoked_at IS NULL")
OPEN = sa.text("closed_at IS NULL")
INDEXES = [
    ("liaison_codes", "tps_code"),
    ("incidents", "tps_code"),
    ("incidents", "status"),
    ("incident_reports", "incident_id"),
    ("incident_steps", "incident_id"),
]
TABLES_CHILDREN_FIRST = [
    "incident_photos",
    "incident_steps",
    "incident_reports",
    "incidents",
    "liaison_codes",
]


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _code(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(64), nullable=nullable)


def _kind(name: str) -> sa.Column:
    return sa.Column(name, sa.String(32), nullable=False)


def _point() -> list[sa.Column]:
    return [sa.Column(name, sa.Double(), nullable=True) for name in ("lat", "lng")]


def _child(table: str) -> list[Any]:
    """The id, the incident it belongs to and the primary key of an incident's trail table."""
    return [
        _id(),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f(f"fk_{table}_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "liaison_codes",
        _id(),
        _code("tps_code"),
        _kind("holder"),
        sa.Column("nonce", sa.String(32), nullable=False),
        sa.Column("lookup", sa.String(64), nullable=False),
        _code("issued_by"),
        _when("issued_at"),
        _when("redeemed_at", nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        _when("revoked_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_liaison_codes_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_liaison_codes")),
        sa.UniqueConstraint("lookup", name=op.f("uq_liaison_codes_lookup")),
    )
    op.create_table(
        "incidents",
        _id(),
        _code("tps_code"),
        _code("kecamatan", nullable=True),
        _code("sector", nullable=True),
        _kind("category"),
        _kind("severity"),
        _kind("status"),
        sa.Column("description", sa.Text(), nullable=False),
        *_point(),
        sa.Column("reports", sa.Integer(), nullable=False),
        _code("reported_by"),
        _when("reported_at"),
        _kind("level"),
        _when("escalated_at", nullable=True),
        sa.Column("owner", sa.String(200), nullable=True),
        _when("updated_at"),
        _when("closed_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    op.create_table(
        "incident_reports",
        *_child("incident_reports"),
        _code("reported_by"),
        _kind("role"),
        _kind("severity"),
        sa.Column("description", sa.Text(), nullable=False),
        *_point(),
        _when("at"),
    )
    op.create_table(
        "incident_steps",
        *_child("incident_steps"),
        _kind("from_status"),
        _kind("to_status"),
        _code("actor"),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _when("at"),
    )
    op.create_table(
        "incident_photos",
        *_child("incident_photos"),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        _kind("media_type"),
        sa.Column("size", sa.Integer(), nullable=False),
        _code("uploaded_by"),
        _when("at"),
        sa.UniqueConstraint("incident_id", "n", name=op.f("uq_incident_photos_incident_id")),
    )
    for table, column in INDEXES:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])
    op.create_index(
        "uq_liaison_codes_active",
        "liaison_codes",
        ["tps_code", "holder"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    op.create_index(
        "uq_incidents_open_problem",
        "incidents",
        ["tps_code", "category"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("uq_incidents_open_problem", table_name="incidents")
    op.drop_index("uq_liaison_codes_active", table_name="liaison_codes")
    for table, column in INDEXES:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    for table in TABLES_CHILDREN_FIRST:
        op.drop_table(table)
