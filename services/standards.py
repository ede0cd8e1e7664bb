"""The service's record of regions and their dated local standards.

An assessment of a household file that names only a region reads the
standards in force on its assessment date from here. Nothing is inherited
from a parent region, because each place publishes its own figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from eligibility import Standards
from eligibility.money import CENT
from models.orm.standards import Region, StandardsRecord
from models.schemas.standards import RegionCreate, StandardsCreate


class StandardsServiceError(Exception):
    """Base of the errors of this module, with an English and a Chinese message.

    `field` names the rejected input field, when one is to blame.
    """

    def __init__(
        self,
        message: str,
        *,
        message_zh: str,
        field: str | None = None,
        fix: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh
        self.field = field
        self.fix = fix


class UnknownRegionError(StandardsServiceError):
    def __init__(self, code: str, *, field: str | None = None) -> None:
        super().__init__(
            f"Region {code!r} not found. Create it with POST /api/v1/regions first",
            message_zh=f"未找到地区“{code}”，请先录入该地区",
            field=field,
        )
        self.code = code


class DuplicateRegionError(StandardsServiceError):
    pass


class DuplicateStandardsError(StandardsServiceError):
    pass


class InvalidStandardsError(StandardsServiceError):
    pass


class StandardsNotYetInForce(LookupError):
    """Raised when an assessment date is before a region's first standards.

    The service does not fall back on later figures, so the caller must give
    the figures of that date or load an older standards row.
    """

    def __init__(self, region: str, first_effective_from: date, on: date) -> None:
        super().__init__(
            f"Region {region!r} has no standards in force on {on}: its first "
            f"standards take effect on {first_effective_from}"
        )
        self.region = region
        self.first_effective_from = first_effective_from
        self.on = on


def create_region(session: Session, spec: RegionCreate) -> Region:
    """Insert a region under an existing parent, or at the top."""
    if session.get(Region, spec.code) is not None:
        raise DuplicateRegionError(
            f"Region {spec.code!r} already exists. Use another code, or add "
            "standards to the existing region",
            message_zh=f"地区“{spec.code}”已存在",
            field="code",
        )
    if spec.parent_code is not None and session.get(Region, spec.parent_code) is None:
        raise UnknownRegionError(spec.parent_code, field="parent_code")
    region = Region(code=spec.code, name=spec.name, parent_code=spec.parent_code)
    session.add(region)
    session.flush()
    return region


def list_regions(session: Session) -> list[Region]:
    return list(session.scalars(select(Region).order_by(Region.code)))


def get_region(session: Session, code: str) -> Region:
    region = session.get(Region, code)
    if region is None:
        raise UnknownRegionError(code)
    return region


def add_standards(
    session: Session, region_code: str, spec: StandardsCreate
) -> StandardsRecord:
    """Insert one dated standards row after checking its figures.

    Every amount must be positive with at most two decimal places, and a
    local low-income line may not be below the dibao it starts above
    (第四条（三）). A second row for the same region and date is rejected:
    published figures are corrected by a new effective date, so the record
    of what an earlier assessment used stays intact.
    """
    get_region(session, region_code)
    for name in ("dibao", "rural_dibao", "low_income_line", "minimum_wage"):
        _check_amount(name, getattr(spec, name))
    if spec.low_income_line is not None and spec.low_income_line < spec.dibao:
        raise InvalidStandardsError(
            f"low_income_line {spec.low_income_line} is below dibao {spec.dibao}. "
            "The low-income line starts at dibao",
            message_zh="低收入标准不能低于低保标准",
            field="low_income_line",
            fix="correct the figure, or leave low_income_line out so that "
            "1.5 × dibao applies",
        )
    existing = session.scalar(
        select(StandardsRecord).where(
            StandardsRecord.region_code == region_code,
            StandardsRecord.effective_from == spec.effective_from,
        )
    )
    if existing is not None:
        raise DuplicateStandardsError(
            f"Region {region_code!r} already has standards taking effect on "
            f"{spec.effective_from}. Stored standards are not overwritten",
            message_zh=(
                f"地区“{region_code}”已有自 {spec.effective_from} 起执行的标准，"
                "不能重复录入"
            ),
            field="effective_from",
            fix="add the corrected figures with their own effective date",
        )
    row = StandardsRecord(
        region_code=region_code,
        effective_from=spec.effective_from,
        dibao=_cents(spec.dibao),
        rural_dibao=_cents(spec.rural_dibao),
        low_income_line=_cents(spec.low_income_line),
        minimum_wage=_cents(spec.minimum_wage),
        source_document=spec.source_document,
    )
    session.add(row)
    session.flush()
    return row


def _check_amount(name: str, value: Decimal | None) -> None:
    if value is None:
        return
    if not value.is_finite() or value <= 0:
        raise InvalidStandardsError(
            f"{name} is {value}, but a standard must be a positive amount in yuan",
            message_zh="标准金额必须大于零",
            field=name,
            fix='give the monthly amount per person, such as "850.00"',
        )
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise InvalidStandardsError(
            f"{name} is {value}, with more than two decimal places",
            message_zh="标准金额最多保留两位小数",
            field=name,
            fix="give the amount in yuan to the cent",
        )


def _cents(value: Decimal | None) -> Decimal | None:
    # Exact, because _check_amount allows at most two decimal places. The row
    # then contains what the database returns on a later read.
    return None if value is None else value.quantize(CENT)


def list_standards(session: Session, region_code: str) -> list[StandardsRecord]:
    """Return a region's standards, oldest first."""
    get_region(session, region_code)
    query = (
        select(StandardsRecord)
        .where(StandardsRecord.region_code == region_code)
        .order_by(StandardsRecord.effective_from)
    )
    return list(session.scalars(query))


def standards_in_force(session: Session, region: str, on: date) -> Standards | None:
    """Return the region's standards with the latest effective date on or before `on`.

    Returns None when the region is unknown or has no standards at all.
    Raises `StandardsNotYetInForce` when its first standards start after `on`.
    """
    row = session.scalar(
        select(StandardsRecord)
        .where(
            StandardsRecord.region_code == region,
            StandardsRecord.effective_from <= on,
        )
        .order_by(StandardsRecord.effective_from.desc())
        .limit(1)
    )
    if row is not None:
        return to_standards(row)
    first = session.scalar(
        select(StandardsRecord.effective_from)
        .where(StandardsRecord.region_code == region)
        .order_by(StandardsRecord.effective_from)
        .limit(1)
    )
    if first is not None:
        raise StandardsNotYetInForce(region, first, on)
    return None


def to_standards(row: StandardsRecord) -> Standards:
    return Standards(
        region=row.region_code,
        dibao=row.dibao,
        rural_dibao=row.rural_dibao,
        low_income_line=row.low_income_line,
        minimum_wage=row.minimum_wage,
        effective_from=row.effective_from,
        source=row.source_document,
    )


def lookup_in(session: Session) -> Callable[[str, date], Standards | None]:
    """Return a standards lookup for `services.assessments.assess_file`."""

    def lookup(region: str, on: date) -> Standards | None:
        return standards_in_force(session, region, on)

    return lookup
