"""Builders of household data for the eligibility tests."""

import copy
from datetime import date
from pathlib import Path
from typing import Any

from stdnum.cn import ric

# The shared household examples sit beside the repository, in shared/.
HOUSEHOLDS_DIR = (
    Path(__file__).parents[2] / ".." / "shared" / "cases" / "households"
).resolve()

ASSESSMENT_DATE = date(2026, 3, 10)


def id_number(
    birth_date: date, sex: str, *, region: str = "130100", sequence: int = 1
) -> str:
    """Build a checksum-valid ID number for a birth date and sex."""
    last = sequence % 10
    if (last % 2 == 1) != (sex == "male"):
        last = (last + 1) % 10
    body = f"{region}{birth_date:%Y%m%d}{sequence // 10 % 100:02d}{last}"
    return body + ric.calc_check_digit(body + "0")


def member(
    member_id: str,
    *,
    relation: str = "other",
    sex: str = "male",
    birth_date: date = date(1985, 5, 5),
    wages: str = "0.00",
    **fields: Any,
) -> dict[str, Any]:
    """Build one member record, with zero income unless given."""
    annual = {
        "wages": wages,
        "business": "0.00",
        "property": "0.00",
        "transfer": "0.00",
        "other": "0.00",
        "income_tax": "0.00",
        "social_security": "0.00",
    }
    annual.update(fields.pop("annual", {}))
    record = {
        "id": member_id,
        "relation": relation,
        "name": f"成员{member_id}",
        "sex": sex,
        "birth_date": birth_date.isoformat(),
        "id_number": id_number(birth_date, sex),
        "same_hukou": True,
        "cohabitation_verified": False,
        "excluded_status": None,
        "school_certificate": False,
        "incapacity_certificate": False,
        "farming_at_home": False,
        "income_proof": True,
        "annual": annual,
    }
    record.update(fields)
    return record


def household(
    members: list[dict[str, Any]] | None = None,
    *,
    assessment_date: date = ASSESSMENT_DATE,
    **fields: Any,
) -> dict[str, Any]:
    """Build a household of an employed urban applicant `m1`.

    By default it has three members (applicant with the given wages, spouse
    with an incapacity certificate, child at school) and standards of dibao
    850.00 and minimum wage 2200.00, so 12 × dibao × 3 = 30600.00.
    """
    if members is None:
        members = [
            member("m1", relation="self", wages="30600.00"),
            member(
                "m2",
                relation="spouse",
                sex="female",
                birth_date=date(1986, 6, 6),
                incapacity_certificate=True,
                income_proof=False,
            ),
            member(
                "m3",
                relation="child",
                birth_date=date(2014, 4, 4),
                school_certificate=True,
                income_proof=False,
            ),
        ]
    data: dict[str, Any] = {
        "id": "test",
        "assessment_date": assessment_date.isoformat(),
        "standards": {
            "region": "测试区",
            "dibao": "850.00",
            "low_income_line": None,
            "minimum_wage": "2200.00",
            "effective_from": "2020-01-01",
        },
        "work_standards": None,
        "applicant": {
            "member": "m1",
            "union_member": True,
            "employer_has_union": True,
            "employment": "employed",
            "job_lost_on": None,
            "unemployment_benefit": False,
            "refused_training_or_referrals": False,
            "socialized_retiree": False,
            "retiree_exception_area": False,
            "hukou": "urban",
            "residence_permit": False,
            "contract_months": 36,
        },
        "members": members,
        "dibao_certificate": False,
        "government_assistance": False,
        "months_below_dibao": 0,
        "hardship_causes": [],
        "special_expenses": "0.00",
        "sudden_event": None,
        "assets": {
            "homes": 1,
            "commercial_shop": False,
            "employs_others": False,
            "private_school_or_abroad": False,
            "frequent_vehicle_use": False,
            "refuses_verification": False,
            "investment_assets": "0.00",
            "savings": "0.00",
        },
        "major_illness_years_over_income": 0,
    }
    for key, value in fields.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return copy.deepcopy(data)
