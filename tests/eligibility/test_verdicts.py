"""Verdict order, scope rules, standards resolution and the grade."""

from datetime import date
from decimal import Decimal

import pytest

from eligibility import (
    Standards,
    StandardsMissing,
    StandardsNotInForce,
    assess,
    parse_household,
)
from tests.eligibility.builders import household

ILLNESS = {"hardship_causes": ["illness"]}


def _assess(data, **standards):
    today = date.fromisoformat(data["assessment_date"])
    return assess(parse_household(data, today=today), **standards)


def _exception_retiree(**fields):
    data = household(**ILLNESS, **fields)
    data["applicant"].update(
        employment="retired", socialized_retiree=True, retiree_exception_area=True
    )
    return data


def test_exception_retiree_needs_decision():
    result = _assess(_exception_retiree())
    assert result.verdict == "needs_decision"
    assert result.deciding_articles == ["第五条"]
    assert result.decision_figures is not None
    assert result.decision_figures["dibao"] == Decimal("850.00")


def test_exclusion_before_exception_retiree():
    data = _exception_retiree(assets={"homes": 3})
    result = _assess(data)
    assert result.verdict == "not_eligible"
    assert result.exclusions == ["homes"]
    assert result.categories == [3]


@pytest.mark.parametrize(
    ("assets", "code"),
    [
        ({"commercial_shop": True}, "business"),
        ({"employs_others": True}, "business"),
        ({"private_school_or_abroad": True}, "private_school"),
        ({"frequent_vehicle_use": True}, "vehicles"),
        ({"refuses_verification": True}, "refuses_verification"),
    ],
)
def test_each_exclusion_code(assets, code):
    result = _assess(household(**ILLNESS, assets=assets))
    assert result.exclusions == [code]
    assert result.verdict == "not_eligible"
    assert result.deciding_articles == ["第十四条"]


def test_employer_without_union_out_of_scope():
    data = household(**ILLNESS)
    data["applicant"]["employer_has_union"] = False
    result = _assess(data)
    assert result.verdict == "not_eligible"
    assert result.deciding_articles == ["第二条"]
    assert result.categories == [3]


def test_not_mainly_wages_out_of_scope():
    data = household(**ILLNESS)
    data["members"][0]["annual"]["property"] = "40000.00"
    result = _assess(data)
    failed = [check.code for check in result.scope_checks if not check.passed]
    assert failed == ["lives_mainly_on_wages"]
    assert result.verdict == "not_eligible"


def test_non_member_noted_not_refused():
    data = household(**ILLNESS)
    data["applicant"]["union_member"] = False
    result = _assess(data)
    assert result.verdict == "eligible"
    assert any("第三十条" in item.text for item in result.explanations)


def test_non_socialized_retiree_in_scope():
    data = household(**ILLNESS)
    data["applicant"]["employment"] = "retired"
    assert _assess(data).verdict == "eligible"


def test_migrant_conditions_hold_without_category():
    data = household(
        work_standards={
            "region": "务工地",
            "dibao": "850.00",
            "minimum_wage": "2200.00",
            "effective_from": "2020-01-01",
        }
    )
    data["applicant"].update(hukou="rural", residence_permit=True)
    result = _assess(data)
    assert result.categories == []
    assert result.verdict == "not_eligible"
    assert result.category_results[4].number == 5


def test_migrant_short_contract_fails():
    data = household(
        **ILLNESS,
        work_standards={
            "region": "务工地",
            "dibao": "850.00",
            "minimum_wage": "2200.00",
            "effective_from": "2020-01-01",
        },
    )
    data["applicant"].update(hukou="rural", residence_permit=True, contract_months=11)
    result = _assess(data)
    assert result.categories == [3]
    assert result.verdict == "not_eligible"
    assert result.deciding_articles == ["第四条（五）"]


def test_farming_uses_hukou_dibao():
    data = household()
    data["members"][1].update(incapacity_certificate=False, farming_at_home=True)
    data["standards"]["rural_dibao"] = "600.00"
    result = _assess(data)
    imputation = result.imputations[0]
    assert imputation.rule == "farming_hukou_dibao"
    assert imputation.counted == Decimal("7200.00")


def test_farming_member_hukou_dibao_wins():
    data = household()
    data["members"][1].update(
        incapacity_certificate=False, farming_at_home=True, hukou_dibao="500.00"
    )
    result = _assess(data)
    assert result.imputations[0].counted == Decimal("6000.00")


def test_farming_with_proof_not_imputed():
    data = household()
    data["members"][1].update(
        incapacity_certificate=False, farming_at_home=True, income_proof=True
    )
    assert _assess(data).imputations == []


def test_rural_household_uses_rural_dibao():
    data = household(**ILLNESS)
    data["applicant"]["hukou"] = "rural"
    data["standards"]["rural_dibao"] = "700.00"
    result = _assess(data)
    assert result.standards_used.dibao == Decimal("700.00")
    assert result.standards_used.low_income_line == Decimal("1050.00")


def test_low_income_line_given_used():
    data = household(**ILLNESS)
    data["standards"]["low_income_line"] = "1000.00"
    result = _assess(data)
    assert result.standards_used.low_income_line == Decimal("1000.00")
    assert not result.standards_used.low_income_line_derived


def test_region_only_needs_override():
    data = household()
    data["standards"] = {"region": "测试区"}
    with pytest.raises(StandardsMissing, match="测试区"):
        _assess(data)


def test_override_replaces_file_standards():
    data = household()
    data["standards"] = {"region": "测试区"}
    override = Standards(
        region="测试区",
        dibao=Decimal("900.00"),
        minimum_wage=Decimal("2200.00"),
        effective_from=date(2025, 1, 1),
        source="测试通知",
    )
    result = _assess(data, standards=override)
    assert result.standards_used.dibao == Decimal("900.00")
    assert result.standards_used.source == "测试通知"


def test_override_not_in_force_raises():
    override = Standards(
        region="测试区",
        dibao=Decimal("900.00"),
        minimum_wage=Decimal("2200.00"),
        effective_from=date(2027, 1, 1),
    )
    with pytest.raises(StandardsNotInForce):
        _assess(household(), standards=override)


def test_extreme_grade_suggested():
    data = household(**ILLNESS, major_illness_years_over_income=3)
    result = _assess(data)
    assert result.grade.grade == "extreme"
    assert result.grade.label == "极困"


def test_extreme_grade_needs_three_years():
    data = household(**ILLNESS, major_illness_years_over_income=2)
    assert _assess(data).grade.grade is None


def test_extreme_grade_needs_illness():
    data = household(hardship_causes=["disability"], major_illness_years_over_income=5)
    data["dibao_certificate"] = data["government_assistance"] = True
    data["members"][0]["annual"]["wages"] = "30000.00"
    result = _assess(data)
    assert result.verdict == "eligible"
    assert result.grade.grade is None


def test_major_illness_event_materials():
    event = {"kind": "major_illness", "expenses": "100000.00"}
    result = _assess(household(sudden_event=event))
    codes = {item.code for item in result.materials}
    assert "major_illness_diagnosis" in codes
    assert "major_medical_invoices" in codes


def test_missing_income_proof_listed():
    data = household()
    data["members"][1]["annual"]["transfer"] = "1200.00"
    result = _assess(data)
    assert "member_income_proof:m2" in result.materials_missing
