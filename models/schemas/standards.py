"""API bodies for regions and their dated standards."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from models.orm.standards import Region, StandardsRecord


class RegionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(
        min_length=1,
        max_length=64,
        description="The region as household files name it in standards.region",
    )
    name: str = Field(min_length=1, max_length=100, description="Chinese name")
    parent_code: str | None = Field(
        default=None, description="Code of an existing enclosing region"
    )


class RegionRead(BaseModel):
    code: str
    name: str
    parent_code: str | None
    created_at: datetime

    @classmethod
    def from_row(cls, region: Region) -> RegionRead:
        return cls(
            code=region.code,
            name=region.name,
            parent_code=region.parent_code,
            created_at=region.created_at,
        )


class StandardsCreate(BaseModel):
    """One region's standards from a date on, in yuan per person per month."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    effective_from: date
    dibao: Decimal = Field(description="最低生活保障标准 (urban, or the only value)")
    rural_dibao: Decimal | None = Field(
        default=None, description="Rural dibao where it differs from the urban one"
    )
    low_income_line: Decimal | None = Field(
        default=None,
        description="低收入标准; without one, assessments use 1.5 × dibao",
    )
    minimum_wage: Decimal = Field(description="最低工资标准 (monthly)")
    source_document: str = Field(
        min_length=1,
        max_length=2000,
        description="The notice that published the figures, with its number",
    )


class StandardsRead(BaseModel):
    region_code: str
    effective_from: date
    dibao: Decimal
    rural_dibao: Decimal | None
    low_income_line: Decimal | None
    minimum_wage: Decimal
    source_document: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: StandardsRecord) -> StandardsRead:
        return cls(
            region_code=row.region_code,
            effective_from=row.effective_from,
            dibao=row.dibao,
            rural_dibao=row.rural_dibao,
            low_income_line=row.low_income_line,
            minimum_wage=row.minimum_wage,
            source_document=row.source_document,
            created_at=row.created_at,
        )
