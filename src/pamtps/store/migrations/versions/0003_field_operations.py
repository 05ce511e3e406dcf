"""Field operations: publications, orders, movements, TPS status, heartbeats, alerts, idempotency.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT = sa.text("superseded_at IS NULL")
OPEN = sa.text("resolved_at IS NULL")
# (table, column) pairs that get a plain index; created after the tables.
INDEXES = [
    ("plan_publications", "plan_id"),
    ("orders", "publication_id"),
    ("orders", "post_id"),
    ("movements", "order_id"),
    ("movements", "nrp"),
    ("tps_status_events", "tps_code"),
    ("alerts", "sector"),
]
TABLES_CHILDREN_FIRST = [
    "idempotency_keys",
    "alerts",
    "device_heartbeats",
    "tps_status_events",
    "movements",
    "orders",
    "plan_publications",
]


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _code(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(64), nullable=nullable)


def _kind(name: str) -> sa.Column:
    return sa.Column(name, sa.String(32), nullable=False)


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "plan_publications",
        _id(),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        _when("published_at"),
        _code("published_by"),
        _fk("plan_publications", "plan_id", "plans"),
        _pk("plan_publications"),
    )
    op.create_table(
        "orders",
        _id(),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        _code("nrp"),
        _kind("kind"),
        _code("post_id", nullable=True),
        _code("sector", nullable=True),
        _code("kecamatan", nullable=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("first_plan_version", sa.Integer(), nullable=False),
        _when("issued_at"),
        _when("acknowledged_at", nullable=True),
        _when("superseded_at", nullable=True),
        _fk("orders", "publication_id", "plan_publications"),
        _fk("orders", "previous_id", "orders"),
        _pk("orders"),
    )
    op.create_table(
        "movements",
        _id(),
        sa.Column("order_id", sa.Integer(), nullable=False),
        _code("nrp"),
        _code("post_id", nullable=True),
        _kind("phase"),
        _when("at"),
        _when("received_at"),
        sa.Column("late", sa.Boolean(), nullable=False),
        _kind("method"),
        _code("tps_code", nullable=True),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lng", sa.Double(), nullable=True),
        sa.Column("distance_m", sa.Double(), nullable=True),
        _fk("movements", "order_id", "orders"),
        _pk("movements"),
        sa.UniqueConstraint("order_id", "phase", name=op.f("uq_movements_order_id")),
    )
    op.create_table(
        "tps_status_events",
        _id(),
        _code("tps_code"),
        _kind("status"),
        _when("at"),
        _when("received_at"),
        _code("nrp"),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("tps_status_events", "order_id", "orders"),
        _pk("tps_status_events"),
        sa.UniqueConstraint("tps_code", "status", name=op.f("uq_tps_status_events_tps_code")),
    )
    op.create_table(
        "device_heartbeats",
        _code("nrp"),
        _when("last_seen"),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lng", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("nrp", name=op.f("pk_device_heartbeats")),
    )
    op.create_table(
        "alerts",
        _id(),
        _kind("kind"),
        _code("subject"),
        _kind("level"),
        _code("sector", nullable=True),
        _code("kecamatan", nullable=True),
        sa.Column("tps_codes", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        _when("raised_at"),
        _when("escalated_at", nullable=True),
        _when("resolved_at", nullable=True),
        _pk("alerts"),
    )
    op.create_table(
        "idempotency_keys",
        _code("actor"),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=True),
        _when("created_at"),
        sa.PrimaryKeyConstraint("actor", "key", name=op.f("pk_idempotency_keys")),
    )
    for table, column in INDEXES:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])
    op.create_index(
        "uq_orders_current_nrp",
        "orders",
        ["nrp"],
        unique=True,
        sqlite_where=CURRENT,
        postgresql_where=CURRENT,
    )
    op.create_index(
        "uq_alerts_open_subject",
        "alerts",
        ["kind", "subject"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("uq_alerts_open_subject", table_name="alerts")
    op.drop_index("uq_orders_current_nrp", table_name="orders")
    for table, column in INDEXES:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    for table in TABLES_CHILDREN_FIRST:
        op.drop_table(table)
