"""Regions and their dated local standards (低保标准, 低收入标准, 最低工资标准)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from api.deps import ContextDep, SessionDep
from api.errors import (
    ERROR_RESPONSES,
    Conflict,
    ErrorDetail,
    Forbidden,
    NotFound,
    ServiceError,
    Unprocessable,
)
from models.schemas.standards import (
    RegionCreate,
    RegionRead,
    StandardsCreate,
    StandardsRead,
)
from services import standards as standards_service
from services.standards import (
    DuplicateRegionError,
    DuplicateStandardsError,
    InvalidStandardsError,
    StandardsServiceError,
    UnknownRegionError,
)

router = APIRouter(prefix="/api/v1", tags=["standards"], responses=ERROR_RESPONSES)


def require_admin_endpoints(context: ContextDep) -> None:
    """Reject administrator writes where real data is kept.

    NOTE: there is no access control yet, so the environment replaces a check
    of the caller's role: development, simulated and test allow the writes.
    """
    if not context.settings.admin_endpoints_enabled:
        raise Forbidden(
            "Writing regions and standards is an administrator action, and "
            "administrator endpoints are disabled in the "
            f"{context.settings.environment} environment until access control "
            "exists. Load standards in a development or test deployment",
            message_zh="录入地区和标准属于管理员操作，在访问控制上线前，本环境不开放",
            code="admin_endpoints_disabled",
        )


AdminOnly = Annotated[None, Depends(require_admin_endpoints)]


def service_error_for(exc: StandardsServiceError) -> ServiceError:
    """Map an error of services.standards to the API's status and envelope."""
    details = []
    if exc.field is not None:
        details = [ErrorDetail(loc=[exc.field], message=exc.message, fix=exc.fix)]
    error_class: type[ServiceError] = ServiceError
    if isinstance(exc, UnknownRegionError):
        # An unknown parent is a bad field of the body, an unknown path a 404.
        error_class = Unprocessable if exc.field else NotFound
    elif isinstance(exc, InvalidStandardsError):
        error_class = Unprocessable
    elif isinstance(exc, DuplicateRegionError | DuplicateStandardsError):
        error_class = Conflict
    return error_class(exc.message, message_zh=exc.message_zh, details=details)


@router.post("/regions", status_code=status.HTTP_201_CREATED)
def create_region(
    body: RegionCreate, session: SessionDep, _admin: AdminOnly
) -> RegionRead:
    """Create a region, optionally under an existing parent region."""
    try:
        region = standards_service.create_region(session, body)
    except StandardsServiceError as exc:
        raise service_error_for(exc) from exc
    return RegionRead.from_row(region)


@router.get("/regions")
def list_regions(session: SessionDep) -> list[RegionRead]:
    """List regions by code."""
    return [RegionRead.from_row(row) for row in standards_service.list_regions(session)]


@router.post("/regions/{code}/standards", status_code=status.HTTP_201_CREATED)
def add_standards(
    code: str, body: StandardsCreate, session: SessionDep, _admin: AdminOnly
) -> StandardsRead:
    """Add a region's standards from an effective date on.

    422 for a non-positive amount or a low-income line below dibao, 409 when
    the region already has standards from that date.
    """
    try:
        row = standards_service.add_standards(session, code, body)
    except StandardsServiceError as exc:
        raise service_error_for(exc) from exc
    return StandardsRead.from_row(row)


@router.get("/regions/{code}/standards")
def list_standards(code: str, session: SessionDep) -> list[StandardsRead]:
    """List a region's standards, oldest effective date first."""
    try:
        rows = standards_service.list_standards(session, code)
    except StandardsServiceError as exc:
        raise service_error_for(exc) from exc
    return [StandardsRead.from_row(row) for row in rows]
