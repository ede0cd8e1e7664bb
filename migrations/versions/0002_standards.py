"""Regions, their dated standards, and stored assessments

Revision ID: 0002_standards
Revises: 0001_foundation
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_standards"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _money(name: str, *, nullable: bool) -> sa.Column:
    return sa.Column(name, sa.Numeric(precision=12, scale=2), nullable=nullable)


def _created_at() -> sa.Column:
    return sa.Column(
        "created_at",
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "regions",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        _created_at(),
        sa.CheckConstraint(
            "parent_code IS NULL OR parent_code <> code",
            name=op.f("ck_regions_not_own_parent"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_code"],
            ["regions.code"],
            name=op.f("fk_regions_parent_code_regions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_regions")),
    )
    op.create_index(
        op.f("ix_regions_parent_code"), "regions", ["parent_code"], unique=False
    )
    op.create_table(
        "standards",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        _money("dibao", nullable=False),
        _money("rural_dibao", nullable=True),
        _money("low_income_line", nullable=True),
        _money("minimum_wage", nullable=False),
        sa.Column("source_document", sa.Text(), nullable=False),
        _created_at(),
        sa.CheckConstraint("dibao > 0", name=op.f("ck_standards_dibao_positive")),
        sa.CheckConstraint(
            "rural_dibao IS NULL OR rural_dibao > 0",
            name=op.f("ck_standards_rural_dibao_positive"),
        ),
        sa.CheckConstraint(
            "low_income_line IS NULL OR low_income_line >= dibao",
            name=op.f("ck_standards_low_income_line_not_below_dibao"),
        ),
        sa.CheckConstraint(
            "minimum_wage > 0", name=op.f("ck_standards_minimum_wage_positive")
        ),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["regions.code"],
            name=op.f("fk_standards_region_code_regions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standards")),
        sa.UniqueConstraint(
            "region_code", "effective_from", name=op.f("uq_standards_region_code")
        ),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("rules_version", sa.String(length=40), nullable=False),
        sa.Column("assessment_date", sa.Date(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("request_body", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    op.create_index(
        op.f("ix_assessments_assessment_date"),
        "assessments",
        ["assessment_date"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_assessments_assessment_date"), table_name="assessments")
    op.drop_table("assessments")
    op.drop_table("standards")
    op.drop_index(op.f("ix_regions_parent_code"), table_name="regions")
    op.drop_table("regions")
