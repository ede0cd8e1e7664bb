"""Root revision: every feature's tables branch from here.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_foundation"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Idempotency ledger for API requests outside workflows: a repeated
    # request id returns the stored response instead of acting twice.
    op.create_table(
        "request_log",
        sa.Column("request_id", sa.String(64), primary_key=True),
        sa.Column("operation", sa.String(64), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("request_log")
