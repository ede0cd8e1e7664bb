"""Union tree rules, chain resolution on the demo tree, staff, and the demo seed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.orm.unions import Staff, StaffRole, TradeUnion, UnionLevel
from models.schemas.unions import StaffCreate, UnionCreate
from services.demo_seed import DEMO_STAFF, DEMO_UNIONS, demo_staff_id, seed_demo
from services.unions import (
    ArchiveManagerExistsError,
    ChainResolutionError,
    DuplicateIdError,
    InactiveStaffError,
    InvalidUnionInputError,
    UnknownStaffError,
    UnknownUnionError,
    actor_for_staff,
    create_staff,
    create_union,
    get_staff,
    get_staff_with_union,
    list_staff,
    list_unions,
    resolve_chain,
)


@pytest.fixture
def demo(db_session: Session) -> Session:
    seed_demo(db_session)
    db_session.flush()
    return db_session


# receiving union, review union, authority, lower unions
CHAINS = [
    # Grassroots under a township under a county.
    ("u-gr-town", "u-town-a", "u-county-a", ["u-gr-town", "u-town-a"]),
    # Grassroots directly under a county: no review union.
    ("u-gr-county", None, "u-county-a", ["u-gr-county"]),
    # Grassroots directly under a city: the city service center recognises.
    ("u-gr-city", None, "u-city-a", ["u-gr-city"]),
    # Grassroots under a development zone under a city.
    ("u-gr-devzone", "u-devzone-a", "u-city-a", ["u-gr-devzone", "u-devzone-a"]),
    # Grassroots under a city industry union.
    ("u-gr-city-ind", "u-ind-city-a", "u-city-a", ["u-gr-city-ind", "u-ind-city-a"]),
    # A county recognises even when its city has no service center.
    ("u-gr-county-b", None, "u-county-b", ["u-gr-county-b"]),
    # Grassroots directly under a provincial industry union.
    ("u-gr-pi", None, "u-pi", ["u-gr-pi"]),
    # Grassroots under an enterprise union under a provincial industry union.
    ("u-gr-pi-ent", "u-ent-pi", "u-pi", ["u-gr-pi-ent", "u-ent-pi"]),
    # 第三十条: a township union receives itself, so no review above it.
    ("u-town-a", None, "u-county-a", ["u-town-a"]),
    ("u-devzone-a", None, "u-city-a", ["u-devzone-a"]),
    ("u-ent-pi", None, "u-pi", ["u-ent-pi"]),
    # 第三十条: a service center receives and is the authority.
    ("u-county-a", None, "u-county-a", []),
    ("u-city-a", None, "u-city-a", []),
]


@pytest.mark.parametrize(("receiving", "review", "authority", "lower"), CHAINS)
def test_chain_on_demo_tree(
    demo: Session,
    receiving: str,
    review: str | None,
    authority: str,
    lower: list[str],
) -> None:
    chain = resolve_chain(demo, receiving)

    assert chain.receiving_union_id == receiving
    assert chain.review_union_id == review
    assert chain.authority_union_id == authority
    assert chain.recheck_union_id == authority
    assert chain.lower_union_ids == lower


def test_chain_every_demo_grassroots_covered() -> None:
    grassroots = {u.id for u in DEMO_UNIONS if u.level is UnionLevel.grassroots}
    covered = {row[0] for row in CHAINS} | {"u-gr-city-b", "u-gr-closed"}

    assert grassroots <= covered


@pytest.mark.parametrize(
    ("union_id", "code"),
    [
        ("u-hb", "not_a_receiving_union"),
        ("u-city-b", "not_a_receiving_union"),
        ("u-pi", "not_a_receiving_union"),
        ("u-gr-city-b", "no_authority"),
        ("u-gr-closed", "inactive_union"),
    ],
)
def test_chain_errors_on_demo_tree(demo: Session, union_id: str, code: str) -> None:
    with pytest.raises(ChainResolutionError) as caught:
        resolve_chain(demo, union_id)

    assert caught.value.code == code
    assert caught.value.message
    assert caught.value.message_zh


def test_chain_unknown_union(demo: Session) -> None:
    with pytest.raises(UnknownUnionError) as caught:
        resolve_chain(demo, "u-missing")

    assert caught.value.code == "unknown_union"
    assert caught.value.union_id == "u-missing"


def test_chain_inactive_township_above(demo: Session) -> None:
    demo.get_one(TradeUnion, "u-town-a").active = False
    demo.flush()

    with pytest.raises(ChainResolutionError) as caught:
        resolve_chain(demo, "u-gr-town")

    assert caught.value.code == "inactive_union"
    assert caught.value.union_id == "u-town-a"


def test_chain_inactive_above_authority_ignored(demo: Session) -> None:
    demo.get_one(TradeUnion, "u-city-a").active = False
    demo.flush()

    chain = resolve_chain(demo, "u-gr-county")

    assert chain.authority_union_id == "u-county-a"


def test_chain_grassroots_under_province(demo: Session) -> None:
    create_union(
        demo,
        UnionCreate(
            id="u-gr-prov",
            name="省总直属示例单位工会",
            level=UnionLevel.grassroots,
            parent_id="u-hb",
        ),
    )

    with pytest.raises(ChainResolutionError) as caught:
        resolve_chain(demo, "u-gr-prov")

    assert caught.value.code == "no_authority"


def test_chain_city_without_center_township(demo: Session) -> None:
    create_union(
        demo,
        UnionCreate(
            id="u-town-city-b",
            name="样板市示例街道工会",
            level=UnionLevel.township,
            parent_id="u-city-b",
        ),
    )

    with pytest.raises(ChainResolutionError) as caught:
        resolve_chain(demo, "u-town-city-b")

    assert caught.value.code == "no_authority"


def test_chain_cycle_detected(demo: Session) -> None:
    # Only a direct database edit can close a cycle, and the resolver stops.
    demo.execute(
        update(TradeUnion)
        .where(TradeUnion.id == "u-county-a")
        .values(parent_id="u-gr-town")
    )
    demo.expire_all()

    with pytest.raises(ChainResolutionError) as caught:
        resolve_chain(demo, "u-gr-town")

    assert caught.value.code == "cycle"


# The parent levels the tree rules allow, written out independently of the
# table in models.orm.unions.
ALLOWED_PARENTS = {
    UnionLevel.city: {UnionLevel.province},
    UnionLevel.county: {UnionLevel.city},
    UnionLevel.township: {UnionLevel.county, UnionLevel.city},
    UnionLevel.provincial_industry: {UnionLevel.province},
    UnionLevel.industry: {
        UnionLevel.city,
        UnionLevel.county,
        UnionLevel.provincial_industry,
    },
    UnionLevel.grassroots: {
        UnionLevel.province,
        UnionLevel.city,
        UnionLevel.county,
        UnionLevel.township,
        UnionLevel.provincial_industry,
        UnionLevel.industry,
    },
}

# One demo union of each level, to act as the parent.
PARENT_OF_LEVEL = {
    UnionLevel.province: "u-hb",
    UnionLevel.city: "u-city-a",
    UnionLevel.county: "u-county-a",
    UnionLevel.township: "u-town-a",
    UnionLevel.provincial_industry: "u-pi",
    UnionLevel.industry: "u-ind-city-a",
    UnionLevel.grassroots: "u-gr-city",
}

PARENT_CASES = [
    (level, parent_level, parent_level in allowed)
    for level, allowed in ALLOWED_PARENTS.items()
    for parent_level in UnionLevel
]


@pytest.mark.parametrize(("level", "parent_level", "allowed"), PARENT_CASES)
def test_create_union_parent_levels(
    demo: Session, level: UnionLevel, parent_level: UnionLevel, allowed: bool
) -> None:
    spec = UnionCreate(
        id=f"u-new-{level.value}",
        name="新建示例工会",
        level=level,
        parent_id=PARENT_OF_LEVEL[parent_level],
    )

    if allowed:
        union = create_union(demo, spec)
        assert union.parent_id == PARENT_OF_LEVEL[parent_level]
        assert union.created_at is not None
    else:
        with pytest.raises(InvalidUnionInputError) as caught:
            create_union(demo, spec)
        assert caught.value.field == "parent_id"
        assert caught.value.fix


def test_create_province_with_parent(demo: Session) -> None:
    spec = UnionCreate(
        id="u-prov-2", name="示例省总工会", level=UnionLevel.province, parent_id="u-hb"
    )

    with pytest.raises(InvalidUnionInputError) as caught:
        create_union(demo, spec)

    assert caught.value.field == "parent_id"


def test_create_province_without_parent(db_session: Session) -> None:
    spec = UnionCreate(id="u-prov-root", name="示例省总工会", level=UnionLevel.province)

    union = create_union(db_session, spec)

    assert union.parent_id is None
    assert union.active is True


@pytest.mark.parametrize(
    ("parent_id", "active_parent"),
    [(None, True), ("u-missing", True), ("u-town-a", False)],
)
def test_create_union_bad_parent(
    demo: Session, parent_id: str | None, active_parent: bool
) -> None:
    if not active_parent:
        demo.get_one(TradeUnion, "u-town-a").active = False
        demo.flush()
    spec = UnionCreate(
        id="u-new-gr", name="示例工会", level=UnionLevel.grassroots, parent_id=parent_id
    )

    with pytest.raises(InvalidUnionInputError) as caught:
        create_union(demo, spec)

    assert caught.value.field == "parent_id"


def test_create_union_service_center_level(demo: Session) -> None:
    spec = UnionCreate(
        id="u-new-town",
        name="示例镇工会",
        level=UnionLevel.township,
        parent_id="u-county-a",
        has_service_center=True,
    )

    with pytest.raises(InvalidUnionInputError) as caught:
        create_union(demo, spec)

    assert caught.value.field == "has_service_center"


def test_create_union_duplicate_id(demo: Session) -> None:
    spec = UnionCreate(id="u-hb", name="河北省总工会", level=UnionLevel.province)

    with pytest.raises(DuplicateIdError):
        create_union(demo, spec)


def test_database_rejects_province_parent(db_session: Session) -> None:
    db_session.add(TradeUnion(id="u-root-x", name="示例", level="province"))
    db_session.flush()
    db_session.add(
        TradeUnion(id="u-root-y", name="示例", level="province", parent_id="u-root-x")
    )

    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.flush()


def test_list_unions_filters(demo: Session) -> None:
    children = list_unions(demo, parent_id="u-county-a")
    counties = list_unions(demo, level=UnionLevel.county)
    both = list_unions(demo, parent_id="u-city-a", level=UnionLevel.county)

    assert [u.id for u in children] == ["u-gr-closed", "u-gr-county", "u-town-a"]
    assert {u.id for u in counties} >= {"u-county-a", "u-county-b"}
    assert [u.id for u in both] == ["u-county-a"]


def test_create_staff_unknown_union(demo: Session) -> None:
    spec = StaffCreate(
        id="s-x", name="示例", union_id="u-missing", role=StaffRole.caseworker
    )

    with pytest.raises(InvalidUnionInputError) as caught:
        create_staff(demo, spec)

    assert caught.value.field == "union_id"


def test_create_staff_inactive_union(demo: Session) -> None:
    spec = StaffCreate(
        id="s-x", name="示例", union_id="u-gr-closed", role=StaffRole.caseworker
    )

    with pytest.raises(InvalidUnionInputError) as caught:
        create_staff(demo, spec)

    assert caught.value.field == "union_id"


def test_create_staff_duplicate_id(demo: Session) -> None:
    spec = StaffCreate(
        id="s-hb-admin", name="示例", union_id="u-hb", role=StaffRole.admin
    )

    with pytest.raises(DuplicateIdError):
        create_staff(demo, spec)


def test_second_archive_manager_rejected(demo: Session) -> None:
    spec = StaffCreate(
        id="s-gr-town-am2",
        name="示例",
        union_id="u-gr-town",
        role=StaffRole.archive_manager,
    )

    with pytest.raises(ArchiveManagerExistsError):
        create_staff(demo, spec)


def test_archive_manager_after_handover(demo: Session) -> None:
    demo.get_one(Staff, "s-gr-town-am").active = False
    demo.flush()
    spec = StaffCreate(
        id="s-gr-town-am2",
        name="示例",
        union_id="u-gr-town",
        role=StaffRole.archive_manager,
    )

    staff = create_staff(demo, spec)

    assert staff.role == "archive_manager"


def test_database_rejects_second_archive_manager(demo: Session) -> None:
    demo.add(
        Staff(id="s-am-x", name="示例", union_id="u-gr-town", role="archive_manager")
    )

    with pytest.raises(IntegrityError), demo.begin_nested():
        demo.flush()


def test_get_staff_and_actor(demo: Session) -> None:
    staff, union = get_staff_with_union(demo, "s-gr-town-cw1")
    actor = actor_for_staff(demo, "s-gr-town-cw1")

    assert staff.role == "caseworker"
    assert union.id == "u-gr-town"
    assert actor.staff_id == "s-gr-town-cw1"
    assert actor.union_id == "u-gr-town"
    assert actor.role == "caseworker"


def test_get_staff_unknown(demo: Session) -> None:
    with pytest.raises(UnknownStaffError):
        get_staff(demo, "s-missing")


def test_inactive_staff_cannot_act(demo: Session) -> None:
    demo.get_one(Staff, "s-gr-town-cw1").active = False
    demo.flush()

    with pytest.raises(InactiveStaffError):
        actor_for_staff(demo, "s-gr-town-cw1")
    staff, _ = get_staff_with_union(demo, "s-gr-town-cw1", require_active=False)
    assert staff.active is False


def test_staff_of_inactive_union_cannot_act(demo: Session) -> None:
    demo.get_one(TradeUnion, "u-gr-town").active = False
    demo.flush()

    with pytest.raises(InactiveStaffError):
        actor_for_staff(demo, "s-gr-town-cw2")


def test_list_staff_of_union(demo: Session) -> None:
    staff = list_staff(demo, "u-gr-town")

    assert [s.id for s in staff] == ["s-gr-town-am", "s-gr-town-cw1", "s-gr-town-cw2"]
    with pytest.raises(UnknownUnionError):
        list_staff(demo, "u-missing")


def test_seed_demo_is_idempotent(db_session: Session) -> None:
    # Other tests may have committed the demo already, so the first run here
    # may find some rows. The second run must find all of them.
    union_ids = [u.id for u in DEMO_UNIONS]
    staff_ids = [s.id for s in DEMO_STAFF]

    first = seed_demo(db_session)
    db_session.flush()
    second = seed_demo(db_session)
    db_session.flush()

    assert sorted(first.created_union_ids + first.existing_union_ids) == sorted(
        union_ids
    )
    assert sorted(first.created_staff_ids + first.existing_staff_ids) == sorted(
        staff_ids
    )
    assert second.created_union_ids == []
    assert second.created_staff_ids == []
    assert second.existing_union_ids == union_ids
    assert second.existing_staff_ids == staff_ids
    union_count = select(func.count()).where(TradeUnion.id.in_(union_ids))
    staff_count = select(func.count()).where(Staff.id.in_(staff_ids))
    assert db_session.scalar(union_count) == len(union_ids)
    assert db_session.scalar(staff_count) == len(staff_ids)


def test_seed_demo_staff_per_union(demo: Session) -> None:
    for union in DEMO_UNIONS:
        staff = list_staff(demo, union.id)
        if union.active:
            assert 2 <= len(staff) <= 3, union.id
        else:
            assert staff == [], union.id
    assert demo_staff_id("u-gr-town", "cw1") == "s-gr-town-cw1"
