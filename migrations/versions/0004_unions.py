"""Union tree and staff

Revision ID: 0004_unions
Revises: 0001_foundation
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_unions"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNION_LEVELS = (
    "province",
    "city",
    "county",
    "township",
    "provincial_industry",
    "industry",
    "grassroots",
)
STAFF_ROLES = ("caseworker", "reviewer", "approver", "archive_manager", "admin")


def _in_list(column: str, values: Sequence[str]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


def upgrade() -> None:
    op.create_table(
        "unions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("parent_id", sa.String(length=40), nullable=True),
        sa.Column("has_service_center", sa.Boolean(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(
            _in_list("level", UNION_LEVELS), name=op.f("ck_unions_level")
        ),
        sa.CheckConstraint(
            "(level = 'province') = (parent_id IS NULL)",
            name=op.f("ck_unions_parent_by_level"),
        ),
        sa.CheckConstraint(
            "parent_id IS NULL OR parent_id <> id",
            name=op.f("ck_unions_not_own_parent"),
        ),
        sa.CheckConstraint(
            "NOT has_service_center OR level IN ('city', 'county')",
            name=op.f("ck_unions_service_center_level"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["unions.id"],
            name=op.f("fk_unions_parent_id_unions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unions")),
    )
    op.create_index(op.f("ix_unions_level"), "unions", ["level"], unique=False)
    op.create_index(op.f("ix_unions_parent_id"), "unions", ["parent_id"], unique=False)
    op.create_table(
        "staff",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("union_id", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.CheckConstraint(_in_list("role", STAFF_ROLES), name=op.f("ck_staff_role")),
        sa.ForeignKeyConstraint(
            ["union_id"],
            ["unions.id"],
            name=op.f("fk_staff_union_id_unions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
    )
    op.create_index(op.f("ix_staff_union_id"), "staff", ["union_id"], unique=False)
    op.create_index(
        "uq_staff_active_archive_manager",
        "staff",
        ["union_id"],
        unique=True,
        postgresql_where="active AND role = 'archive_manager'",
        sqlite_where="active AND role = 'archive_manager'",
    )


def downgrade() -> None:
    op.drop_index(
        "uq_staff_active_archive_manager",
        table_name="staff",
        postgresql_where="active AND role = 'archive_manager'",
        sqlite_where="active AND role = 'archive_manager'",
    )
    op.drop_index(op.f("ix_staff_union_id"), table_name="staff")
    op.drop_table("staff")
    op.drop_index(op.f("ix_unions_parent_id"), table_name="unions")
    op.drop_index(op.f("ix_unions_level"), table_name="unions")
    op.drop_table("unions")
