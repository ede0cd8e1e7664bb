"""The standards store: regions, dated rows, and the standards in force."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from eligibility import Standards
from models.schemas.standards import RegionCreate, StandardsCreate
from services.standards import (
    DuplicateRegionError,
    DuplicateStandardsError,
    InvalidStandardsError,
    StandardsNotYetInForce,
    UnknownRegionError,
    add_standards,
    create_region,
    list_regions,
    list_standards,
    lookup_in,
    standards_in_force,
)

CITY = "示例市"
DISTRICT = "示例市示例区"


def _standards(effective_from: date, **changes: Any) -> StandardsCreate:
    values: dict[str, Any] = {
        "effective_from": effective_from,
        "dibao": "850.00",
        "minimum_wage": "2200.00",
        "source_document": "示例市民政局通知",
    }
    values.update(changes)
    return StandardsCreate.model_validate(values)


@pytest.fixture
def district(db_session: Session) -> str:
    """A district under a city, with standards from 2025-01-01 and 2026-01-01."""
    create_region(db_session, RegionCreate(code=CITY, name="示例市"))
    create_region(
        db_session, RegionCreate(code=DISTRICT, name="示例区", parent_code=CITY)
    )
    add_standards(db_session, DISTRICT, _standards(date(2025, 1, 1), dibao="800.00"))
    add_standards(
        db_session,
        DISTRICT,
        _standards(
            date(2026, 1, 1),
            rural_dibao="700.00",
            low_income_line="1300.00",
        ),
    )
    return DISTRICT


def test_region_with_parent_created(db_session: Session, district: str) -> None:
    regions = {region.code: region for region in list_regions(db_session)}
    assert regions[DISTRICT].parent_code == CITY
    assert regions[CITY].parent_code is None


def test_unknown_parent_rejected(db_session: Session) -> None:
    spec = RegionCreate(code="孤区", name="孤区", parent_code="无此市")
    with pytest.raises(UnknownRegionError) as raised:
        create_region(db_session, spec)
    assert raised.value.field == "parent_code"


def test_duplicate_region_rejected(db_session: Session, district: str) -> None:
    with pytest.raises(DuplicateRegionError):
        create_region(db_session, RegionCreate(code=DISTRICT, name="重复"))


def test_latest_standards_in_force(db_session: Session, district: str) -> None:
    found = standards_in_force(db_session, district, date(2026, 3, 10))
    assert found == Standards(
        region=DISTRICT,
        dibao=Decimal("850.00"),
        rural_dibao=Decimal("700.00"),
        low_income_line=Decimal("1300.00"),
        minimum_wage=Decimal("2200.00"),
        effective_from=date(2026, 1, 1),
        source="示例市民政局通知",
    )


def test_effective_date_itself_in_force(db_session: Session, district: str) -> None:
    found = standards_in_force(db_session, district, date(2026, 1, 1))
    assert found is not None
    assert found.effective_from == date(2026, 1, 1)


def test_earlier_row_before_change(db_session: Session, district: str) -> None:
    found = standards_in_force(db_session, district, date(2025, 12, 31))
    assert found is not None
    assert found.dibao == Decimal("800.00")
    assert found.rural_dibao is None
    assert found.low_income_line is None


def test_before_first_standards_raises(db_session: Session, district: str) -> None:
    with pytest.raises(StandardsNotYetInForce) as raised:
        standards_in_force(db_session, district, date(2024, 12, 31))
    assert raised.value.region == district
    assert raised.value.first_effective_from == date(2025, 1, 1)
    assert "2025-01-01" in str(raised.value)


def test_region_without_standards_none(db_session: Session, district: str) -> None:
    assert standards_in_force(db_session, CITY, date(2026, 3, 10)) is None


def test_unknown_region_none(db_session: Session) -> None:
    assert standards_in_force(db_session, "无此地区", date(2026, 3, 10)) is None


def test_lookup_reads_session(db_session: Session, district: str) -> None:
    found = lookup_in(db_session)(district, date(2026, 3, 10))
    assert found is not None
    assert found.minimum_wage == Decimal("2200.00")


def test_standards_listed_oldest_first(db_session: Session, district: str) -> None:
    rows = list_standards(db_session, district)
    assert [row.effective_from for row in rows] == [date(2025, 1, 1), date(2026, 1, 1)]


def test_amounts_stored_to_cent(db_session: Session, district: str) -> None:
    row = add_standards(db_session, district, _standards(date(2027, 1, 1), dibao="900"))
    assert str(row.dibao) == "900.00"
    db_session.expire(row)
    assert str(row.dibao) == "900.00"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"dibao": "0"}, "dibao"),
        ({"dibao": "-850.00"}, "dibao"),
        ({"minimum_wage": "0.00"}, "minimum_wage"),
        ({"rural_dibao": "-1"}, "rural_dibao"),
        ({"low_income_line": "0"}, "low_income_line"),
        ({"low_income_line": "849.99"}, "low_income_line"),
        ({"minimum_wage": "2200.005"}, "minimum_wage"),
    ],
)
def test_bad_amount_rejected(
    db_session: Session, district: str, changes: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidStandardsError) as raised:
        add_standards(db_session, district, _standards(date(2027, 1, 1), **changes))
    assert raised.value.field == field
    assert raised.value.fix


def test_low_income_line_at_dibao_accepted(db_session: Session, district: str) -> None:
    row = add_standards(
        db_session, district, _standards(date(2027, 1, 1), low_income_line="850.00")
    )
    assert row.low_income_line == Decimal("850.00")


def test_duplicate_date_rejected(db_session: Session, district: str) -> None:
    with pytest.raises(DuplicateStandardsError) as raised:
        add_standards(db_session, district, _standards(date(2026, 1, 1)))
    assert raised.value.field == "effective_from"
    assert "2026-01-01" in raised.value.message


def test_standards_for_unknown_region(db_session: Session) -> None:
    with pytest.raises(UnknownRegionError):
        add_standards(db_session, "无此地区", _standards(date(2026, 1, 1)))
