"""The union tree: creating unions and staff, and resolving a case's chain.

A case moves up the receiving union's line of affiliation (隶属关系). The
chain rules of 第二十条 and 第二十一条 are in `resolve_chain`, and the
parent rules per level in `models.orm.unions.ALLOWED_PARENT_LEVELS`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.orm.unions import (
    ALLOWED_PARENT_LEVELS,
    SERVICE_CENTER_LEVELS,
    UNION_LEVEL_LABELS_ZH,
    Staff,
    StaffRole,
    TradeUnion,
    UnionLevel,
)
from models.schemas.unions import StaffCreate, UnionCreate
from workflows.case_models import Actor, CaseChain

# Deeper than any valid tree (grassroots, township, county, city, province),
# so a longer walk means the stored parents form a cycle.
MAX_CHAIN_LENGTH = 16

# 第二十条: these levels review the cases of the grassroots unions under them.
REVIEW_LEVELS = frozenset({UnionLevel.township, UnionLevel.industry})


class UnionServiceError(Exception):
    """Base of the errors of this module, with an English and a Chinese message."""

    code = "union_error"

    def __init__(self, message: str, *, message_zh: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh
        if code:
            self.code = code


class ChainResolutionError(UnionServiceError):
    """A union's chain gives no valid receiving, review and recognising unions.

    `code` is one of unknown_union, inactive_union, not_a_receiving_union,
    no_authority or cycle.
    """

    code = "chain_unresolved"

    def __init__(
        self,
        message: str,
        *,
        message_zh: str,
        code: str,
        union_id: str,
    ) -> None:
        super().__init__(message, message_zh=message_zh, code=code)
        self.union_id = union_id


class UnknownUnionError(ChainResolutionError):
    def __init__(self, union_id: str) -> None:
        super().__init__(
            f"Union {union_id!r} not found. Check the id with GET /api/v1/unions",
            message_zh=f"未找到工会 {union_id}，请核对工会编号",
            code="unknown_union",
            union_id=union_id,
        )


class UnknownStaffError(UnionServiceError):
    code = "unknown_staff"

    def __init__(self, staff_id: str) -> None:
        super().__init__(
            f"Staff member {staff_id!r} not found. Check the id",
            message_zh=f"未找到工作人员 {staff_id}，请核对编号",
        )
        self.staff_id = staff_id


class InactiveStaffError(UnionServiceError):
    """The staff member, or the union they work for, is no longer active."""

    code = "inactive_staff"


class InvalidUnionInputError(UnionServiceError):
    """Create-request input that the tree rules reject, with the field's name."""

    code = "invalid_input"

    def __init__(self, field: str, message: str, *, message_zh: str, fix: str):
        super().__init__(message, message_zh=message_zh)
        self.field = field
        self.fix = fix


class DuplicateIdError(UnionServiceError):
    code = "duplicate_id"


class ArchiveManagerExistsError(UnionServiceError):
    code = "archive_manager_exists"


def get_union(session: Session, union_id: str) -> TradeUnion:
    union = session.get(TradeUnion, union_id)
    if union is None:
        raise UnknownUnionError(union_id)
    return union


def list_unions(
    session: Session,
    *,
    parent_id: str | None = None,
    level: UnionLevel | None = None,
) -> list[TradeUnion]:
    query = select(TradeUnion).order_by(TradeUnion.id)
    if parent_id is not None:
        query = query.where(TradeUnion.parent_id == parent_id)
    if level is not None:
        query = query.where(TradeUnion.level == level.value)
    return list(session.scalars(query))


def create_union(session: Session, spec: UnionCreate) -> TradeUnion:
    """Insert a union after checking its parent against the level rules.

    The parent must already exist and the new id must be new, so an insert
    through here cannot close a cycle.
    """
    if session.get(TradeUnion, spec.id) is not None:
        raise _duplicate("union", spec.id)
    _check_parent(session, spec)
    if spec.has_service_center and spec.level not in SERVICE_CENTER_LEVELS:
        raise InvalidUnionInputError(
            "has_service_center",
            f"A {spec.level.value} union has no service center, because only a "
            "city or county union runs one",
            message_zh="只有市、县级工会设有职工服务中心",
            fix="set has_service_center to false, or create the union as a "
            "city or county",
        )

    union = TradeUnion(
        id=spec.id,
        name=spec.name,
        level=spec.level.value,
        parent_id=spec.parent_id,
        has_service_center=spec.has_service_center,
        region_code=spec.region_code,
        active=spec.active,
    )
    _insert(session, union, kind="union")
    return union


def _check_parent(session: Session, spec: UnionCreate) -> None:
    allowed = ALLOWED_PARENT_LEVELS[spec.level]
    if not allowed:
        if spec.parent_id is not None:
            raise InvalidUnionInputError(
                "parent_id",
                "The province is the root of the tree and has no parent",
                message_zh="省总工会为最上级工会，不设上级工会",
                fix="omit parent_id for a province union",
            )
        return

    allowed_names = ", ".join(sorted(level.value for level in allowed))
    if spec.parent_id is None:
        raise InvalidUnionInputError(
            "parent_id",
            f"A {spec.level.value} union needs a parent",
            message_zh=f"{UNION_LEVEL_LABELS_ZH[spec.level]}须填写上级工会",
            fix=f"set parent_id to the id of a union of level: {allowed_names}",
        )
    parent = session.get(TradeUnion, spec.parent_id)
    if parent is None:
        raise InvalidUnionInputError(
            "parent_id",
            f"Parent union {spec.parent_id!r} not found",
            message_zh=f"未找到上级工会 {spec.parent_id}",
            fix="create the parent union first, or correct parent_id",
        )
    if not parent.active:
        raise InvalidUnionInputError(
            "parent_id",
            f"Parent union {parent.id!r} is inactive",
            message_zh=f"上级工会 {parent.name} 已停用",
            fix="choose an active parent union",
        )
    if UnionLevel(parent.level) not in allowed:
        raise InvalidUnionInputError(
            "parent_id",
            f"A {spec.level.value} union cannot sit under {parent.id!r}, a "
            f"{parent.level} union",
            message_zh=(
                f"{UNION_LEVEL_LABELS_ZH[spec.level]}不能隶属于"
                f"{UNION_LEVEL_LABELS_ZH[UnionLevel(parent.level)]}"
            ),
            fix=f"choose a parent of level: {allowed_names}",
        )


def get_staff(session: Session, staff_id: str) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise UnknownStaffError(staff_id)
    return staff


def list_staff(session: Session, union_id: str) -> list[Staff]:
    """Return a union's staff ordered by id, or raise UnknownUnionError."""
    get_union(session, union_id)
    query = select(Staff).where(Staff.union_id == union_id).order_by(Staff.id)
    return list(session.scalars(query))


def create_staff(session: Session, spec: StaffCreate) -> Staff:
    if session.get(Staff, spec.id) is not None:
        raise _duplicate("staff member", spec.id)
    union = session.get(TradeUnion, spec.union_id)
    if union is None:
        raise InvalidUnionInputError(
            "union_id",
            f"Union {spec.union_id!r} not found",
            message_zh=f"未找到工会 {spec.union_id}",
            fix="create the union first, or correct union_id",
        )
    if not union.active:
        raise InvalidUnionInputError(
            "union_id",
            f"Union {union.id!r} is inactive",
            message_zh=f"工会 {union.name} 已停用",
            fix="choose an active union",
        )
    if spec.active and spec.role is StaffRole.archive_manager:
        _check_no_archive_manager(session, union)

    staff = Staff(
        id=spec.id,
        name=spec.name,
        union_id=spec.union_id,
        role=spec.role.value,
        active=spec.active,
    )
    _insert(session, staff, kind="staff member")
    return staff


def _check_no_archive_manager(session: Session, union: TradeUnion) -> None:
    # 第三十三条: one archive manager per union that keeps archives.
    current = session.scalar(
        select(Staff.id).where(
            Staff.union_id == union.id,
            Staff.role == StaffRole.archive_manager.value,
            Staff.active,
        )
    )
    if current is not None:
        raise ArchiveManagerExistsError(
            f"Union {union.id!r} already has an active archive manager, "
            f"{current!r}. Deactivate them in a recorded handover first",
            message_zh=f"{union.name}已指定档案管理员，更换时须先办理工作交接",
        )


def get_staff_with_union(
    session: Session, staff_id: str, *, require_active: bool = True
) -> tuple[Staff, TradeUnion]:
    """Load a staff member and their union, for building an `Actor`.

    With `require_active`, raises InactiveStaffError when the staff member
    or their union is inactive.
    """
    staff = get_staff(session, staff_id)
    union = get_union(session, staff.union_id)
    if require_active and not (staff.active and union.active):
        raise InactiveStaffError(
            f"Staff member {staff.id!r} or their union {union.id!r} is inactive "
            "and may not act on cases",
            message_zh="该工作人员或其所在工会已停用，不能办理档案",
        )
    return staff, union


def actor_for_staff(session: Session, staff_id: str) -> Actor:
    staff, union = get_staff_with_union(session, staff_id)
    return Actor(staff_id=staff.id, union_id=union.id, role=staff.role)


def resolve_chain(session: Session, receiving_union_id: str) -> CaseChain:
    """Find the unions that review, re-check and recognise a case (第二十、二十一条).

    The authority is the first county on the chain, the receiving union
    included. A chain without a county goes to the provincial industry
    union it passes through, and failing that to the city, whose service
    center recognises. The authority does the re-check as well. The review
    union is the first township or industry union between a receiving
    grassroots union and the authority.

    Product decision: a township, industry or service-center union that
    receives an application itself (第三十条) acts as the receiving union,
    so no review union is set above it. The review of 第二十条 checks what
    a lower union reported, and the township's own intake already did that.

    Raises ChainResolutionError (UnknownUnionError for an unknown id) when
    a union on the way is unknown or inactive, the receiving union may not
    receive, or no authority is found.
    """
    receiving = get_union(session, receiving_union_id)
    _check_can_receive(receiving)
    path = _walk_up(session, receiving)
    authority_index = _authority_index(path, receiving)
    for union in path[: authority_index + 1]:
        if not union.active:
            raise _inactive_on_chain(union, receiving)

    authority = path[authority_index]
    review = None
    if receiving.level == UnionLevel.grassroots:
        review = next(
            (u for u in path[1:authority_index] if u.level in REVIEW_LEVELS), None
        )
    # NOTE: a county without a service center still gets the re-check. The
    # measures give it to 市、县职工服务中心 and name no other union.
    return CaseChain(
        receiving_union_id=receiving.id,
        review_union_id=review.id if review else None,
        recheck_union_id=authority.id,
        authority_union_id=authority.id,
        lower_union_ids=[union.id for union in path[:authority_index]],
    )


def _check_can_receive(union: TradeUnion) -> None:
    level = UnionLevel(union.level)
    if level is UnionLevel.province:
        reason = "the province union does not receive applications"
        reason_zh = "省总工会不直接受理困难职工申请"
    elif level is UnionLevel.city and not union.has_service_center:
        reason = (
            "a city union receives only through its service center, and it has none"
        )
        reason_zh = "市总工会未设职工服务中心，不能直接受理申请"
    elif level is UnionLevel.provincial_industry:
        # 第三十条 names grassroots unions, township unions and service
        # centers as receivers. A provincial industry union recognises its
        # grassroots unions' cases but has no service center.
        reason = (
            "a provincial industry union recognises cases but does not receive them"
        )
        reason_zh = "省产业工会负责复核和认定，不直接受理申请"
    else:
        return
    raise ChainResolutionError(
        f"Union {union.id!r} cannot be the receiving union: {reason}. File the "
        "application at the worker's grassroots union, a township union or a "
        "service center",
        message_zh=f"{union.name}不能作为受理工会：{reason_zh}。请向基层工会、"
        "乡镇（街道）工会或职工服务中心提出申请（第三十条）",
        code="not_a_receiving_union",
        union_id=union.id,
    )


def _inactive_on_chain(
    union: TradeUnion, receiving: TradeUnion
) -> ChainResolutionError:
    if union.id == receiving.id:
        message = (
            f"Union {union.id!r} is inactive and cannot receive applications. "
            "File at an active union"
        )
        message_zh = f"{union.name}已停用，不能受理申请"
    else:
        message = (
            f"Union {union.id!r} on the chain of {receiving.id!r} is inactive. "
            "Reactivate it or move the receiving union under an active one"
        )
        message_zh = f"上级工会{union.name}已停用，{receiving.name}的档案无法报送"
    return ChainResolutionError(
        message, message_zh=message_zh, code="inactive_union", union_id=union.id
    )


def _walk_up(session: Session, start: TradeUnion) -> list[TradeUnion]:
    """Return the union and its ancestors, nearest first."""
    path = [start]
    seen = {start.id}
    current = start
    while current.parent_id is not None:
        parent = session.get(TradeUnion, current.parent_id)
        if parent is None:
            raise UnknownUnionError(current.parent_id)
        if parent.id in seen or len(path) >= MAX_CHAIN_LENGTH:
            raise ChainResolutionError(
                f"The parents above {start.id!r} form a cycle at {parent.id!r}. "
                "Correct the parent_id of the unions involved",
                message_zh=f"{start.name}的上级工会关系出现循环，请更正隶属关系",
                code="cycle",
                union_id=parent.id,
            )
        path.append(parent)
        seen.add(parent.id)
        current = parent
    return path


def _authority_index(path: list[TradeUnion], receiving: TradeUnion) -> int:
    # 第二十一条: the county union recognises for its units and the townships
    # under it, and a provincial industry union for its grassroots unions.
    # The city service center recognises for units directly under the city.
    for level in (UnionLevel.county, UnionLevel.provincial_industry):
        for index, union in enumerate(path):
            if union.level == level:
                return index
    for index, union in enumerate(path):
        if union.level == UnionLevel.city:
            if union.has_service_center:
                return index
            raise ChainResolutionError(
                f"No union can recognise cases of {receiving.id!r}: its chain "
                f"reaches city {union.id!r}, which has no service center, without "
                "passing a county or provincial industry union",
                message_zh=f"{union.name}未设职工服务中心，{receiving.name}"
                "的档案无认定单位（第二十一条）",
                code="no_authority",
                union_id=receiving.id,
            )
    raise ChainResolutionError(
        f"No union can recognise cases of {receiving.id!r}: its chain passes no "
        "county, provincial industry or city union. Move it under one",
        message_zh=f"{receiving.name}的隶属关系中没有县级、市级工会或省产业工会，"
        "档案无认定单位（第二十一条）",
        code="no_authority",
        union_id=receiving.id,
    )


def _duplicate(kind: str, row_id: str) -> DuplicateIdError:
    return DuplicateIdError(
        f"A {kind} with id {row_id!r} already exists. Choose another id",
        message_zh=f"编号 {row_id} 已被使用，请更换编号",
    )


def _insert(session: Session, row: TradeUnion | Staff, *, kind: str) -> None:
    # The checks above read before writing, so only a concurrent insert of
    # the same id or of a second archive manager fails here.
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError as exc:
        diag = getattr(exc.orig, "diag", None)
        constraint = getattr(diag, "constraint_name", None)
        if constraint == "uq_staff_active_archive_manager":
            raise ArchiveManagerExistsError(
                "The union already has an active archive manager. Deactivate "
                "them in a recorded handover first",
                message_zh="该工会已指定档案管理员，更换时须先办理工作交接",
            ) from exc
        if constraint in ("pk_unions", "pk_staff"):
            raise _duplicate(kind, row.id) from exc
        raise
