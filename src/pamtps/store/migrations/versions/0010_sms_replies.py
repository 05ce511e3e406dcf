"""The replies to inbound SMS, queued for the gateway's send API.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sms_replies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("gateway_id", sa.String(36), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(["message_id"], ["sms_messages.id"],
                                name=op.f("fk_sms_replies_message_id_sms_messages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_replies")),
        sa.UniqueConstraint("message_id", name=op.f("uq_sms_replies_message_id")),
        sa.UniqueConstraint("gateway_id", name=op.f("uq_sms_replies_gateway_id")),
    )
    op.create_index("ix_sms_replies_state_next_at", "sms_replies", ["state", "next_at"])


def downgrade() -> None:
    op.drop_index("ix_sms_replies_state_next_at", table_name="sms_replies")
    op.drop_table("sms_replies")
