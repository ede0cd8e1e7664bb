"""Unions, their staff, and the chain a case filed at a union would follow."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import SessionDep
from api.errors import (
    ERROR_RESPONSES,
    Conflict,
    ErrorDetail,
    Forbidden,
    NotFound,
    ServiceError,
    Unprocessable,
)
from models.orm.unions import UnionLevel
from models.schemas.unions import StaffCreate, StaffRead, UnionCreate, UnionRead
from services import unions as union_service
from services.unions import (
    ArchiveManagerExistsError,
    ChainResolutionError,
    DuplicateIdError,
    InactiveStaffError,
    InvalidUnionInputError,
    UnionServiceError,
    UnknownStaffError,
    UnknownUnionError,
)
from workflows.case_models import CaseChain

router = APIRouter(prefix="/api/v1", tags=["unions"], responses=ERROR_RESPONSES)


def service_error_for(exc: UnionServiceError) -> ServiceError:
    """Map an error of services.unions to the API's status and envelope."""
    details: list[ErrorDetail] = []
    error_class: type[ServiceError] = ServiceError
    if isinstance(exc, UnknownUnionError | UnknownStaffError):
        error_class = NotFound
    elif isinstance(exc, InvalidUnionInputError):
        error_class = Unprocessable
        details = [ErrorDetail(loc=[exc.field], message=exc.message, fix=exc.fix)]
    elif isinstance(exc, InactiveStaffError):
        error_class = Forbidden
    elif isinstance(exc, DuplicateIdError | ArchiveManagerExistsError):
        error_class = Conflict
    elif isinstance(exc, ChainResolutionError):
        # The union exists, but the tree around it gives no valid chain.
        error_class = Conflict
    return error_class(
        exc.message, message_zh=exc.message_zh, details=details, code=exc.code
    )


@router.post("/unions", status_code=status.HTTP_201_CREATED)
def create_union(body: UnionCreate, session: SessionDep) -> UnionRead:
    """Create a union under a parent whose level the new union's level allows."""
    try:
        union = union_service.create_union(session, body)
    except UnionServiceError as exc:
        raise service_error_for(exc) from exc
    return UnionRead.from_row(union)


@router.get("/unions")
def list_unions(
    session: SessionDep,
    parent_id: str | None = None,
    level: UnionLevel | None = None,
) -> list[UnionRead]:
    """List unions by id, optionally only the children of one union or one level."""
    rows = union_service.list_unions(session, parent_id=parent_id, level=level)
    return [UnionRead.from_row(row) for row in rows]


@router.get("/unions/{union_id}")
def get_union(union_id: str, session: SessionDep) -> UnionRead:
    """Return one union."""
    try:
        return UnionRead.from_row(union_service.get_union(session, union_id))
    except UnionServiceError as exc:
        raise service_error_for(exc) from exc


@router.get("/unions/{union_id}/chain")
def get_union_chain(union_id: str, session: SessionDep) -> CaseChain:
    """Resolve the review, re-check and recognising unions for a case filed here.

    409 when the union may not receive applications or its chain reaches no
    recognising union, and the error code names the reason.
    """
    try:
        return union_service.resolve_chain(session, union_id)
    except UnionServiceError as exc:
        raise service_error_for(exc) from exc


@router.get("/unions/{union_id}/staff")
def list_union_staff(union_id: str, session: SessionDep) -> list[StaffRead]:
    """List a union's staff by id."""
    try:
        rows = union_service.list_staff(session, union_id)
    except UnionServiceError as exc:
        raise service_error_for(exc) from exc
    return [StaffRead.from_row(row) for row in rows]


@router.post("/staff", status_code=status.HTTP_201_CREATED)
def create_staff(body: StaffCreate, session: SessionDep) -> StaffRead:
    """Add a staff member to an active union, with one archive manager per union."""
    try:
        staff = union_service.create_staff(session, body)
    except UnionServiceError as exc:
        raise service_error_for(exc) from exc
    return StaffRead.from_row(staff)


@router.get("/staff/{staff_id}")
def get_staff(staff_id: str, session: SessionDep) -> StaffRead:
    """Return one staff member."""
    try:
        return StaffRead.from_row(union_service.get_staff(session, staff_id))
    except UnionServiceError as exc:
        raise service_error_for(exc) from exc
