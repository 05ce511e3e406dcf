"""The SMS channel: registered numbers and inbound messages.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sms_senders",
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("registered_by", sa.String(64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_sms_senders_user_id_users")),
        sa.PrimaryKeyConstraint("phone", name=op.f("pk_sms_senders")),
    )
    op.create_index(op.f("ix_sms_senders_user_id"), "sms_senders", ["user_id"])
    op.create_table(
        "sms_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("gateway", sa.String(32), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("command", sa.String(32), nullable=True),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_sms_messages_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_messages")),
        sa.UniqueConstraint("key", name=op.f("uq_sms_messages_key")),
    )
    op.create_index(op.f("ix_sms_messages_phone"), "sms_messages", ["phone"])


def downgrade() -> None:
    op.drop_index(op.f("ix_sms_messages_phone"), table_name="sms_messages")
    op.drop_table("sms_messages")
    op.drop_index(op.f("ix_sms_senders_user_id"), table_name="sms_senders")
    op.drop_table("sms_senders")
