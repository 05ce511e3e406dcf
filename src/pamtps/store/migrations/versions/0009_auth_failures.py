"""Failed logins and invite codes, counted per account, per address and in all.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = {
    "ix_auth_failures_kind_at": ["kind", "at"],
    "ix_auth_failures_kind_account_at": ["kind", "account", "at"],
    "ix_auth_failures_kind_source_at": ["kind", "source", "at"],
}


def upgrade() -> None:
    op.create_table(
        "auth_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_failures")),
    )
    for name, columns in _INDEXES.items():
        op.create_index(name, "auth_failures", columns)


def downgrade() -> None:
    for name in _INDEXES:
        op.drop_index(name, table_name="auth_failures")
    op.drop_table("auth_failures")
