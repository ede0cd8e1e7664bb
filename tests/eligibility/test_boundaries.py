"""Boundary cases: dibao and its multiples, ages, periods and 29 February."""

from datetime import date

import pytest

from eligibility import assess, parse_household
from eligibility.dates import add_months_rolling, age_on
from eligibility.retirement import (
    MEN_BASE_60,
    WOMEN_BASE_50,
    WOMEN_BASE_55,
    retirement_age_months,
    retirement_date,
)
from eligibility.scope import unemployment_scope_end
from tests.eligibility.builders import household, member


def _assess(data, today=None):
    today = today or date.fromisoformat(data["assessment_date"])
    return assess(parse_household(data, today=today))


def _with_wages(wages, **fields):
    data = household(**fields)
    data["members"][0]["annual"]["wages"] = wages
    return data


# 12 × 850.00 × 3 members = 30600.00 is exactly at dibao.
@pytest.mark.parametrize(
    ("wages", "certificate", "causes", "categories"),
    [
        ("30600.00", True, ["illness"], [3]),
        ("30599.99", True, ["illness"], [2]),
        ("30600.00", True, [], []),
        ("45900.00", False, ["illness"], []),
        ("45900.01", False, ["illness"], []),
    ],
)
def test_dibao_boundary(wages, certificate, causes, categories):
    data = _with_wages(
        wages,
        dibao_certificate=certificate,
        government_assistance=certificate,
        hardship_causes=causes,
    )
    assert _assess(data).categories == categories


def test_low_income_line_inclusive():
    # 1.5 × 850.00 × 12 × 3 = 45900.00, and expenses bring it down to dibao.
    data = _with_wages("45900.00", hardship_causes=["illness"])
    data["special_expenses"] = "15300.00"
    assert _assess(data).categories == [3]
    data["members"][0]["annual"]["wages"] = "45900.01"
    assert _assess(data).categories == []


def test_category_3_expense_boundary():
    data = _with_wages("36000.00", hardship_causes=["illness"])
    data["special_expenses"] = "5400.00"
    assert _assess(data).categories == [3]
    data["special_expenses"] = "5399.99"
    assert _assess(data).categories == []


def test_category_1_six_months():
    data = _with_wages("30000.00", months_below_dibao=6)
    assert _assess(data).categories == [1]
    data["months_below_dibao"] = 5
    assert _assess(data).categories == []
    data["months_below_dibao"] = 6
    data["government_assistance"] = True
    assert _assess(data).categories == []


# 3 × dibao for 3 members is 91800.00 a year. Event expenses of 61200.00
# bring that to exactly 30600.00, the dibao threshold.
def test_three_times_dibao_inclusive():
    event = {"kind": "accident", "expenses": "61200.00"}
    data = _with_wages("91800.00", sudden_event=event)
    data["assets"]["savings"] = "1000.00"
    result = _assess(data)
    assert result.categories == [4]
    assert "savings" not in result.category_results[3].figures


def test_above_three_times_counts_assets():
    event = {"kind": "accident", "expenses": "61200.00"}
    data = _with_wages("91800.01", sudden_event=event)
    data["assets"]["savings"] = "1000.00"
    result = _assess(data)
    assert result.categories == []
    assert result.category_results[3].figures["savings"] == 1000
    data["sudden_event"]["expenses"] = "62200.01"
    assert _assess(data).categories == [4]


def _child_household(birth_date, assessment_date):
    child = member("m3", relation="child", birth_date=birth_date, income_proof=False)
    data = household(assessment_date=assessment_date)
    data["members"][2] = child
    return data


def test_age_16_exactly_is_working_age():
    data = _child_household(date(2010, 3, 10), date(2026, 3, 10))
    result = _assess(data)
    assert result.members[2].working_age
    assert [item.member_id for item in result.imputations] == ["m3"]


def test_day_before_16_not_working_age():
    data = _child_household(date(2010, 3, 11), date(2026, 3, 10))
    result = _assess(data)
    assert not result.members[2].working_age
    assert result.imputations == []


@pytest.mark.parametrize(
    ("rule", "birth_date", "age_months"),
    [
        (MEN_BASE_60, date(1964, 12, 31), 60 * 12),
        (MEN_BASE_60, date(1965, 1, 1), 60 * 12 + 1),
        (MEN_BASE_60, date(1965, 4, 30), 60 * 12 + 1),
        (MEN_BASE_60, date(1965, 5, 1), 60 * 12 + 2),
        (MEN_BASE_60, date(1976, 8, 31), 62 * 12 + 11),
        (MEN_BASE_60, date(1976, 9, 1), 63 * 12),
        (MEN_BASE_60, date(1990, 1, 1), 63 * 12),
        (WOMEN_BASE_55, date(1969, 12, 31), 55 * 12),
        (WOMEN_BASE_55, date(1970, 1, 1), 55 * 12 + 1),
        (WOMEN_BASE_55, date(1970, 5, 1), 55 * 12 + 2),
        (WOMEN_BASE_55, date(1981, 8, 31), 57 * 12 + 11),
        (WOMEN_BASE_55, date(1981, 9, 1), 58 * 12),
        (WOMEN_BASE_50, date(1974, 12, 31), 50 * 12),
        (WOMEN_BASE_50, date(1975, 1, 1), 50 * 12 + 1),
        (WOMEN_BASE_50, date(1975, 3, 1), 50 * 12 + 2),
        (WOMEN_BASE_50, date(1984, 10, 31), 54 * 12 + 11),
        (WOMEN_BASE_50, date(1984, 11, 1), 55 * 12),
    ],
)
def test_retirement_age_cohorts(rule, birth_date, age_months):
    assert retirement_age_months(birth_date, rule) == age_months


@pytest.mark.parametrize(
    ("sex", "base_50", "birth_date", "retires_on"),
    [
        ("male", False, date(1965, 1, 10), date(2025, 2, 10)),
        ("female", False, date(1970, 1, 10), date(2025, 2, 10)),
        ("female", True, date(1975, 1, 10), date(2025, 2, 10)),
        ("male", False, date(1960, 6, 1), date(2020, 6, 1)),
    ],
)
def test_working_age_ends_on_retirement(sex, base_50, birth_date, retires_on):
    record = member(
        "m3",
        relation="parent",
        sex=sex,
        birth_date=birth_date,
        income_proof=False,
        female_worker_base_50=base_50,
    )
    day_before = date.fromordinal(retires_on.toordinal() - 1)
    for on, working in [(day_before, True), (retires_on, False)]:
        data = household(assessment_date=on)
        data["members"][2] = record
        result = _assess(data)
        assert result.members[2].retirement_date == retires_on
        assert result.members[2].working_age is working, on


def test_retirement_on_29_february():
    # Born 29 February 1972 with base 50: 50 years falls on a missing day.
    assert retirement_date(date(1972, 2, 29), WOMEN_BASE_50) == date(2022, 3, 1)


def test_month_end_rolls_forward():
    assert add_months_rolling(date(1965, 1, 31), 1) == date(1965, 3, 1)


def test_birthday_29_february():
    assert age_on(date(2008, 2, 29), date(2025, 2, 28)) == 16
    assert age_on(date(2008, 2, 29), date(2025, 3, 1)) == 17
    assert age_on(date(2008, 2, 29), date(2024, 2, 29)) == 16


def _unemployed(job_lost_on, on):
    data = household(assessment_date=on, hardship_causes=["illness"])
    data["applicant"].update(
        employment="unemployed", job_lost_on=job_lost_on.isoformat()
    )
    data["members"][0]["annual"]["wages"] = "0.00"
    data["members"][0]["incapacity_certificate"] = True
    data["members"][0]["annual"]["transfer"] = "30600.00"
    return data


@pytest.mark.parametrize(
    ("job_lost_on", "on", "verdict"),
    [
        (date(2024, 3, 10), date(2026, 3, 10), "eligible"),
        (date(2024, 3, 10), date(2026, 3, 11), "not_eligible"),
        (date(2024, 2, 29), date(2026, 2, 28), "eligible"),
        (date(2024, 2, 29), date(2026, 3, 1), "not_eligible"),
    ],
)
def test_two_years_after_job_loss(job_lost_on, on, verdict):
    result = _assess(_unemployed(job_lost_on, on))
    assert result.verdict == verdict
    assert result.categories == [3]


def test_job_loss_29_february_end():
    assert unemployment_scope_end(date(2024, 2, 29)) == date(2026, 2, 28)


def test_unemployment_benefit_in_scope():
    data = _unemployed(date(2020, 1, 1), date(2026, 3, 10))
    data["applicant"]["unemployment_benefit"] = True
    assert _assess(data).verdict == "eligible"


def test_refused_training_out_of_scope():
    data = _unemployed(date(2025, 1, 1), date(2026, 3, 10))
    data["applicant"]["refused_training_or_referrals"] = True
    result = _assess(data)
    assert result.verdict == "not_eligible"
    assert result.deciding_articles == ["第六条"]
