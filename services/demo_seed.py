"""A demo union tree with staff, one grassroots union per kind of chain.

Ids are fixed so tests and the README walkthrough can name them. The
resolved chain of each grassroots union:

| grassroots union | path up the tree | review | authority |
| --- | --- | --- | --- |
| u-gr-town | u-town-a, u-county-a | u-town-a | u-county-a |
| u-gr-county | u-county-a | none | u-county-a |
| u-gr-city | u-city-a | none | u-city-a (service center) |
| u-gr-devzone | u-devzone-a, u-city-a | u-devzone-a | u-city-a |
| u-gr-city-ind | u-ind-city-a, u-city-a | u-ind-city-a | u-city-a |
| u-gr-county-b | u-county-b, u-city-b | none | u-county-b |
| u-gr-pi | u-pi | none | u-pi |
| u-gr-pi-ent | u-ent-pi, u-pi | u-ent-pi | u-pi |
| u-gr-city-b | u-city-b | chain error: u-city-b has no service center | |
| u-gr-closed | inactive | chain error: inactive union | |

`seed_demo` only inserts rows whose id is missing and never updates an
existing row, so a second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from core.logging import get_logger
from models.orm.unions import Staff, StaffRole, TradeUnion, UnionLevel
from models.schemas.unions import StaffCreate, UnionCreate
from services.unions import create_staff, create_union

log = get_logger(__name__)


# Parents come before children, so each insert finds its parent.
DEMO_UNIONS: list[UnionCreate] = [
    UnionCreate(id="u-hb", name="河北省总工会", level=UnionLevel.province),
    UnionCreate(
        id="u-city-a",
        name="示例市总工会",
        level=UnionLevel.city,
        parent_id="u-hb",
        has_service_center=True,
    ),
    # A city without a service center: its counties recognise, but a
    # grassroots union directly under it has no authority.
    UnionCreate(
        id="u-city-b", name="样板市总工会", level=UnionLevel.city, parent_id="u-hb"
    ),
    UnionCreate(
        id="u-county-a",
        name="示例县总工会",
        level=UnionLevel.county,
        parent_id="u-city-a",
        has_service_center=True,
    ),
    UnionCreate(
        id="u-county-b",
        name="样板县总工会",
        level=UnionLevel.county,
        parent_id="u-city-b",
        has_service_center=True,
    ),
    UnionCreate(
        id="u-town-a",
        name="示例县示例镇工会",
        level=UnionLevel.township,
        parent_id="u-county-a",
    ),
    UnionCreate(
        id="u-devzone-a",
        name="示例市高新技术开发区工会",
        level=UnionLevel.township,
        parent_id="u-city-a",
    ),
    UnionCreate(
        id="u-ind-city-a",
        name="示例市教育工会",
        level=UnionLevel.industry,
        parent_id="u-city-a",
    ),
    UnionCreate(
        id="u-pi",
        name="河北省示例产业工会",
        level=UnionLevel.provincial_industry,
        parent_id="u-hb",
    ),
    UnionCreate(
        id="u-ent-pi",
        name="示例集团公司工会",
        level=UnionLevel.industry,
        parent_id="u-pi",
    ),
    UnionCreate(
        id="u-gr-town",
        name="示例镇示例农机厂工会",
        level=UnionLevel.grassroots,
        parent_id="u-town-a",
    ),
    UnionCreate(
        id="u-gr-county",
        name="示例县示例纺织厂工会",
        level=UnionLevel.grassroots,
        parent_id="u-county-a",
    ),
    UnionCreate(
        id="u-gr-city",
        name="示例市示例机械厂工会",
        level=UnionLevel.grassroots,
        parent_id="u-city-a",
    ),
    UnionCreate(
        id="u-gr-devzone",
        name="示例高新区示例电子公司工会",
        level=UnionLevel.grassroots,
        parent_id="u-devzone-a",
    ),
    UnionCreate(
        id="u-gr-city-ind",
        name="示例市第一中学工会",
        level=UnionLevel.grassroots,
        parent_id="u-ind-city-a",
    ),
    UnionCreate(
        id="u-gr-county-b",
        name="样板县示例食品厂工会",
        level=UnionLevel.grassroots,
        parent_id="u-county-b",
    ),
    UnionCreate(
        id="u-gr-city-b",
        name="样板市示例化工厂工会",
        level=UnionLevel.grassroots,
        parent_id="u-city-b",
    ),
    UnionCreate(
        id="u-gr-pi",
        name="河北省示例研究院工会",
        level=UnionLevel.grassroots,
        parent_id="u-pi",
    ),
    UnionCreate(
        id="u-gr-pi-ent",
        name="示例集团第一分公司工会",
        level=UnionLevel.grassroots,
        parent_id="u-ent-pi",
    ),
    UnionCreate(
        id="u-gr-closed",
        name="示例县示例水泥厂工会（已撤销）",
        level=UnionLevel.grassroots,
        parent_id="u-county-a",
        active=False,
    ),
]


# Roles by level, for every active demo union. Grassroots unions get two
# caseworkers because a home visit needs two different staff (第十八条).
# Every union that keeps archives gets its one archive manager (第三十三条).
ROLES_BY_LEVEL: dict[UnionLevel, list[tuple[str, StaffRole]]] = {
    UnionLevel.province: [("admin", StaffRole.admin), ("rv", StaffRole.reviewer)],
    UnionLevel.city: [
        ("rv", StaffRole.reviewer),
        ("ap", StaffRole.approver),
        ("am", StaffRole.archive_manager),
    ],
    UnionLevel.county: [
        ("rv", StaffRole.reviewer),
        ("ap", StaffRole.approver),
        ("am", StaffRole.archive_manager),
    ],
    UnionLevel.provincial_industry: [
        ("rv", StaffRole.reviewer),
        ("ap", StaffRole.approver),
        ("am", StaffRole.archive_manager),
    ],
    UnionLevel.township: [("cw", StaffRole.caseworker), ("rv", StaffRole.reviewer)],
    UnionLevel.industry: [("cw", StaffRole.caseworker), ("rv", StaffRole.reviewer)],
    UnionLevel.grassroots: [
        ("cw1", StaffRole.caseworker),
        ("cw2", StaffRole.caseworker),
        ("am", StaffRole.archive_manager),
    ],
}

ROLE_NAMES_ZH = {
    "admin": "系统管理员",
    "rv": "审核人",
    "ap": "审批人",
    "am": "档案管理员",
    "cw": "经办人",
    "cw1": "经办人甲",
    "cw2": "经办人乙",
}


def demo_staff_id(union_id: str, suffix: str) -> str:
    """Return a demo staff id: "u-gr-town" and "cw1" give "s-gr-town-cw1"."""
    return f"s-{union_id.removeprefix('u-')}-{suffix}"


def _demo_staff() -> list[StaffCreate]:
    staff = []
    for union in DEMO_UNIONS:
        if not union.active:
            continue
        for suffix, role in ROLES_BY_LEVEL[union.level]:
            staff.append(
                StaffCreate(
                    id=demo_staff_id(union.id, suffix),
                    # Placeholder names, so the demo contains no personal data.
                    name=f"{union.name}{ROLE_NAMES_ZH[suffix]}",
                    union_id=union.id,
                    role=role,
                )
            )
    return staff


DEMO_STAFF: list[StaffCreate] = _demo_staff()


@dataclass
class SeedSummary:
    created_union_ids: list[str] = field(default_factory=list)
    existing_union_ids: list[str] = field(default_factory=list)
    created_staff_ids: list[str] = field(default_factory=list)
    existing_staff_ids: list[str] = field(default_factory=list)


def seed_demo(session: Session) -> SeedSummary:
    """Insert the demo unions and staff that are missing, and flush.

    The caller commits. The inactive demo union u-gr-closed gets no staff,
    because staff can only be added to an active union.
    """
    summary = SeedSummary()
    for union_spec in DEMO_UNIONS:
        if session.get(TradeUnion, union_spec.id) is not None:
            summary.existing_union_ids.append(union_spec.id)
            continue
        create_union(session, union_spec)
        summary.created_union_ids.append(union_spec.id)

    for staff_spec in DEMO_STAFF:
        if session.get(Staff, staff_spec.id) is not None:
            summary.existing_staff_ids.append(staff_spec.id)
            continue
        create_staff(session, staff_spec)
        summary.created_staff_ids.append(staff_spec.id)

    log.info(
        "demo_seeded",
        unions_created=len(summary.created_union_ids),
        unions_existing=len(summary.existing_union_ids),
        staff_created=len(summary.created_staff_ids),
        staff_existing=len(summary.existing_staff_ids),
    )
    return summary
