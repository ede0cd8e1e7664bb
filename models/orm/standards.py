"""Regions and their dated history of local standards (第四条, 第十三条).

Figures are yuan per person per month. An assessment uses the row with the
latest `effective_from` on or before its assessment date.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.orm.base import Base

MONEY = Numeric(12, 2, asdecimal=True)


class Region(Base):
    """A place that publishes standards, named by the code household files use."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("regions.code", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        CheckConstraint(
            "parent_code IS NULL OR parent_code <> code", name="not_own_parent"
        ),
    )


class StandardsRecord(Base):
    """The standards of one region from one effective date on."""

    __tablename__ = "standards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    region_code: Mapped[str] = mapped_column(
        ForeignKey("regions.code", ondelete="RESTRICT")
    )
    effective_from: Mapped[date] = mapped_column(Date)
    dibao: Mapped[Decimal] = mapped_column(MONEY)
    # Without a rural value the urban dibao applies to rural hukou too.
    rural_dibao: Mapped[Decimal | None] = mapped_column(MONEY)
    # Without a local line, 第四条（三） uses 1.5 × dibao.
    low_income_line: Mapped[Decimal | None] = mapped_column(MONEY)
    minimum_wage: Mapped[Decimal] = mapped_column(MONEY)
    # The notice or document that published the figures.
    source_document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        UniqueConstraint("region_code", "effective_from"),
        CheckConstraint("dibao > 0", name="dibao_positive"),
        CheckConstraint(
            "rural_dibao IS NULL OR rural_dibao > 0", name="rural_dibao_positive"
        ),
        CheckConstraint(
            "low_income_line IS NULL OR low_income_line >= dibao",
            name="low_income_line_not_below_dibao",
        ),
        CheckConstraint("minimum_wage > 0", name="minimum_wage_positive"),
    )
