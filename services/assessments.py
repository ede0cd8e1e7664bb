"""Assess a household file as the API and the command line receive it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from api.errors import ErrorDetail, NotFound, Unprocessable
from eligibility import (
    AssessmentResult,
    HouseholdInvalid,
    NoCountedMember,
    ParsedHousehold,
    Standards,
    StandardsMissing,
    StandardsNotInForce,
    assess,
    parse_household,
)
from eligibility.models import StandardsBlock
from eligibility.standards import block_figures_missing
from models.orm.assessments import AssessmentRecord
from services.standards import StandardsNotYetInForce

# Looks up the standards of a region in force on a date: None when the region
# has none, `StandardsNotYetInForce` when its first standards start later.
StandardsLookup = Callable[[str, date], Standards | None]


def assess_file(
    data: dict[str, Any], *, today: date, lookup: StandardsLookup | None = None
) -> tuple[ParsedHousehold, AssessmentResult]:
    """Validate and assess a household file; raise Unprocessable naming each field."""
    try:
        parsed = parse_household(data, today=today)
    except HouseholdInvalid as exc:
        raise Unprocessable(
            "The household file is invalid; see details for each field and its fix",
            message_zh="家庭情况登记数据有误，请按各字段提示修改",
            details=[
                ErrorDetail(loc=list(issue.loc), message=issue.message)
                for issue in exc.errors
            ],
        ) from exc
    household = parsed.household
    standards = _resolve(
        household.standards, "standards", household.assessment_date, lookup
    )
    work_standards = None
    if household.work_standards is not None:
        work_standards = _resolve(
            household.work_standards,
            "work_standards",
            household.assessment_date,
            lookup,
        )
    try:
        result = assess(parsed, standards=standards, work_standards=work_standards)
    except (StandardsMissing, StandardsNotInForce, NoCountedMember) as exc:
        loc = ["members"] if isinstance(exc, NoCountedMember) else ["standards"]
        raise Unprocessable(
            str(exc), details=[ErrorDetail(loc=loc, message=str(exc))]
        ) from exc
    return parsed, result


def _resolve(
    block: StandardsBlock | None,
    field: str,
    on: date,
    lookup: StandardsLookup | None,
) -> Standards | None:
    if block is None:
        message = (
            f"{field} is missing. Add a {field} block with the region, and "
            "its figures unless the region's standards are stored"
        )
        raise Unprocessable(
            message,
            message_zh="缺少地区标准，请填写地区及其标准",
            details=[ErrorDetail(loc=[field], message=message)],
        )
    missing = block_figures_missing(block)
    if not missing:
        return None
    try:
        found = lookup(block.region, on) if lookup else None
    except StandardsNotYetInForce as exc:
        first = exc.first_effective_from
        raise Unprocessable(
            f"{field} names region {block.region!r}, whose first standards take "
            f"effect on {first}, after the assessment date {on}. The service "
            "does not apply later standards to an earlier date. Give the "
            "figures in force on that date, or load the region's older standards",
            message_zh=(
                f"地区“{block.region}”的标准自 {first} 起执行，评估日 {on} "
                "尚无有效标准，请填写当时的标准或先录入该地区更早的标准"
            ),
            details=[
                ErrorDetail(
                    loc=[field, "effective_from"],
                    message=(
                        f"region {block.region!r} has no standards before {first}, "
                        f"and the assessment date is {on}"
                    ),
                    fix="add the figures in force on the assessment date to the "
                    "file, or load the region's standards of that date",
                )
            ],
        ) from exc
    if found is None:
        raise Unprocessable(
            f"{field} names region {block.region!r} without the figures "
            f"{', '.join(missing)}, and no standards of that region are in force "
            f"on {on}; give the figures or load the region's standards first",
            message_zh=(
                f"未找到地区“{block.region}”在 {on} 有效的标准，"
                "请填写标准或先录入该地区标准"
            ),
            details=[
                ErrorDetail(
                    loc=[field, "region"],
                    message=f"no standards for region {block.region!r} on {on}",
                    fix="add the figures to the file or load the region's standards",
                )
            ],
        )
    return found


def record_assessment(
    session: Session, data: dict[str, Any], result: AssessmentResult
) -> AssessmentRecord:
    """Store an assessment with the household file exactly as it was sent."""
    record = AssessmentRecord(
        id=str(uuid.uuid4()),
        rules_version=result.rules_version,
        assessment_date=result.assessment_date,
        verdict=result.verdict,
        request_body=data,
        result=result.model_dump(mode="json"),
    )
    session.add(record)
    session.flush()
    return record


def get_assessment(session: Session, assessment_id: str) -> AssessmentRecord:
    record = session.get(AssessmentRecord, assessment_id)
    if record is None:
        raise NotFound(
            f"Assessment {assessment_id!r} not found. Check the id that "
            "POST /api/v1/assessments returned",
            message_zh=f"未找到评估记录 {assessment_id}",
        )
    return record
