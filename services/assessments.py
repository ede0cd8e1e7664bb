"""Assess a household file as the API and the command line receive it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from api.errors import ErrorDetail, Unprocessable
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

# Looks up the standards of a region in force on a date; None when unknown.
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
    block: StandardsBlock,
    field: str,
    on: date,
    lookup: StandardsLookup | None,
) -> Standards | None:
    missing = block_figures_missing(block)
    if not missing:
        return None
    found = lookup(block.region, on) if lookup else None
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
