"""API bodies for unions and staff."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.orm.unions import (
    STAFF_ROLE_LABELS_ZH,
    UNION_LEVEL_LABELS_ZH,
    Staff,
    StaffRole,
    TradeUnion,
    UnionLevel,
)

CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
# An 18-character resident ID number, rejected as a code.
ID_NUMBER_PATTERN = re.compile(r"\d{17}[\dXx]")
REGION_CODE_PATTERN = r"^\d{6}(\d{3}){0,2}$"


def _check_code(value: str) -> str:
    if not CODE_PATTERN.fullmatch(value):
        raise ValueError(
            "use 1 to 40 ASCII letters, digits, '-' or '_', starting with a "
            "letter or digit, such as 'u-hb'"
        )
    if ID_NUMBER_PATTERN.fullmatch(value):
        raise ValueError(
            "ids are codes and must not be a resident ID number. Choose a code "
            "such as 'u-gr-0001'"
        )
    return value


class UnionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(description="Code such as 'u-hb', not personal data")
    name: str = Field(min_length=1, max_length=100, description="Chinese name")
    level: UnionLevel
    parent_id: str | None = Field(
        default=None, description="Required for every level except the province"
    )
    has_service_center: bool = Field(
        default=False,
        description="City or county only: its 职工服务中心 acts for it",
    )
    region_code: str | None = Field(
        default=None,
        pattern=REGION_CODE_PATTERN,
        description="Administrative division code of 6, 9 or 12 digits",
    )
    active: bool = True

    _check_id = field_validator("id")(_check_code)


class UnionRead(BaseModel):
    id: str
    name: str
    level: UnionLevel
    level_label_zh: str
    parent_id: str | None
    has_service_center: bool
    region_code: str | None
    active: bool
    created_at: datetime

    @classmethod
    def from_row(cls, union: TradeUnion) -> UnionRead:
        level = UnionLevel(union.level)
        return cls(
            id=union.id,
            name=union.name,
            level=level,
            level_label_zh=UNION_LEVEL_LABELS_ZH[level],
            parent_id=union.parent_id,
            has_service_center=union.has_service_center,
            region_code=union.region_code,
            active=union.active,
            created_at=union.created_at,
        )


class StaffCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(description="Code such as 's-hb-admin', not personal data")
    name: str = Field(min_length=1, max_length=50)
    union_id: str
    role: StaffRole
    active: bool = True

    _check_id = field_validator("id")(_check_code)


class StaffRead(BaseModel):
    id: str
    name: str
    union_id: str
    role: StaffRole
    role_label_zh: str
    active: bool
    created_at: datetime

    @classmethod
    def from_row(cls, staff: Staff) -> StaffRead:
        role = StaffRole(staff.role)
        return cls(
            id=staff.id,
            name=staff.name,
            union_id=staff.union_id,
            role=role,
            role_label_zh=STAFF_ROLE_LABELS_ZH[role],
            active=staff.active,
            created_at=staff.created_at,
        )
