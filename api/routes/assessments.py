"""Eligibility assessments of household files (第二条 to 第十七条)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, status
from fastapi.responses import JSONResponse

from api.deps import ClockDep, SessionDep
from api.errors import ERROR_RESPONSES
from core.clock import SHANGHAI
from models.schemas.assessments import AssessmentRead, read_body
from services import assessments as assessment_service
from services.standards import lookup_in

router = APIRouter(prefix="/api/v1", tags=["assessments"], responses=ERROR_RESPONSES)


async def business_today(clock: ClockDep) -> date:
    """Return today's date in Asia/Shanghai on the business clock."""
    return (await clock.now()).astimezone(SHANGHAI).date()


TodayDep = Annotated[date, Depends(business_today)]


@router.post(
    "/assessments",
    status_code=status.HTTP_201_CREATED,
    response_model=AssessmentRead,
)
def create_assessment(
    body: Annotated[dict[str, Any], Body(description="A household file as it is")],
    session: SessionDep,
    today: TodayDep,
) -> JSONResponse:
    """Assess a household file and store the file and its result.

    A file whose standards name only a region uses the stored standards in
    force on its assessment date. 422 names each invalid field in
    `details[].loc`, including an assessment date after today.
    """
    _, result = assessment_service.assess_file(
        body, today=today, lookup=lookup_in(session)
    )
    record = assessment_service.record_assessment(session, body, result)
    # The body is built from the stored JSON, so POST and GET return the same.
    return JSONResponse(
        read_body(record.id, record.created_at, record.result),
        status_code=status.HTTP_201_CREATED,
    )


@router.get("/assessments/{assessment_id}", response_model=AssessmentRead)
def get_assessment(assessment_id: str, session: SessionDep) -> JSONResponse:
    """Return a stored assessment."""
    record = assessment_service.get_assessment(session, assessment_id)
    return JSONResponse(read_body(record.id, record.created_at, record.result))
