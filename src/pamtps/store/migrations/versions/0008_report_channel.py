"""The channel of each field and incident report (app, offline queue, SMS) and when an incident
report arrived.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("movements", "tps_status_events", "incident_reports")


def upgrade() -> None:
    # Plain ADD COLUMN (SQLite has it): a batch copy of these tables is not needed.
    for table in TABLES:
        op.add_column(
            table, sa.Column("channel", sa.String(32), nullable=False, server_default="app")
        )
    op.add_column(
        "incident_reports", sa.Column("received_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("incident_reports", "received_at")
    for table in TABLES:
        op.drop_column(table, "channel")
