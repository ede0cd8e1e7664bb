"""The union tree (隶属关系) and the staff who act for each union."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from models.orm.base import Base


class UnionLevel(StrEnum):
    province = "province"  # 省总工会
    city = "city"  # 市总工会
    county = "county"  # 县级工会
    township = "township"  # 乡镇（街道）、开发区（园区）工会
    # 省产业工会、省直机关工会、省总对口单位工会
    provincial_industry = "provincial_industry"
    # 产业工会、直属企业工会: reviews like a township union (第二十条)
    industry = "industry"
    grassroots = "grassroots"  # 基层工会


UNION_LEVEL_LABELS_ZH = {
    UnionLevel.province: "省总工会",
    UnionLevel.city: "市总工会",
    UnionLevel.county: "县级工会",
    UnionLevel.township: "乡镇（街道）、开发区（园区）工会",
    UnionLevel.provincial_industry: "省产业工会、省直机关工会、省总对口单位工会",
    UnionLevel.industry: "产业工会、直属企业工会",
    UnionLevel.grassroots: "基层工会",
}

# Levels a union's parent may have. The province alone has no parent.
ALLOWED_PARENT_LEVELS: dict[UnionLevel, frozenset[UnionLevel]] = {
    UnionLevel.province: frozenset(),
    UnionLevel.city: frozenset({UnionLevel.province}),
    UnionLevel.county: frozenset({UnionLevel.city}),
    UnionLevel.township: frozenset({UnionLevel.county, UnionLevel.city}),
    UnionLevel.provincial_industry: frozenset({UnionLevel.province}),
    UnionLevel.industry: frozenset(
        {UnionLevel.city, UnionLevel.county, UnionLevel.provincial_industry}
    ),
    UnionLevel.grassroots: frozenset(set(UnionLevel) - {UnionLevel.grassroots}),
}

# Only these levels run a 职工服务中心 (第二十条, 第三十条).
SERVICE_CENTER_LEVELS = frozenset({UnionLevel.city, UnionLevel.county})


class StaffRole(StrEnum):
    caseworker = "caseworker"
    reviewer = "reviewer"
    approver = "approver"
    archive_manager = "archive_manager"  # 档案管理员，第三十三条
    admin = "admin"


STAFF_ROLE_LABELS_ZH = {
    StaffRole.caseworker: "经办人",
    StaffRole.reviewer: "审核人",
    StaffRole.approver: "审批人",
    StaffRole.archive_manager: "档案管理员",
    StaffRole.admin: "系统管理员",
}


def _in_list(column: str, values: type[StrEnum]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class TradeUnion(Base):
    """A union organisation, whose id is a code such as "u-hb" and not personal data."""

    __tablename__ = "unions"
    __table_args__ = (
        CheckConstraint(_in_list("level", UnionLevel), name="level"),
        # The province is the root of the tree, and every other union has a
        # parent. The level rules for parents are checked in services.unions.
        CheckConstraint(
            "(level = 'province') = (parent_id IS NULL)", name="parent_by_level"
        ),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        CheckConstraint(
            "NOT has_service_center OR level IN ('city', 'county')",
            name="service_center_level",
        ),
    )
    # Read created_at back with RETURNING on insert.
    __mapper_args__ = {"eager_defaults": True}

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(32), index=True)
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("unions.id", ondelete="RESTRICT"), index=True
    )
    # A city or county whose 职工服务中心 acts for it: re-check and, for a
    # city, recognition of the units directly under it (第二十、二十一条).
    has_service_center: Mapped[bool] = mapped_column(Boolean, default=False)
    # Administrative division code of the union's area, when known.
    region_code: Mapped[str | None] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Database time of the insert, for audit.
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Staff(Base):
    """A person who acts for one union in one role."""

    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint(_in_list("role", StaffRole), name="role"),
        # 第三十三条: each union that keeps archives names one archive manager.
        Index(
            "uq_staff_active_archive_manager",
            "union_id",
            unique=True,
            postgresql_where="active AND role = 'archive_manager'",
            sqlite_where="active AND role = 'archive_manager'",
        ),
    )
    __mapper_args__ = {"eager_defaults": True}

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    union_id: Mapped[str] = mapped_column(
        ForeignKey("unions.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Database time of the insert, for audit.
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
