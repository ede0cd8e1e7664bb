"""The shared household examples give their `expected` blocks exactly."""

import json

import pytest

from eligibility import RULES_VERSION, assess, parse_household
from tests.eligibility.builders import ASSESSMENT_DATE, HOUSEHOLDS_DIR

FILES = sorted(path.name for path in HOUSEHOLDS_DIR.glob("*.json"))

# Articles that decide each example, as its title and data describe it.
DECIDING_ARTICLES = {
    "01-dibao-household.json": ["第四条（二）", "第十一条（一）"],
    "02-illness-slightly-above.json": ["第四条（三）", "第十一条（二）"],
    "03-two-homes.json": ["第十四条"],
    "04-major-illness-high-income.json": ["第四条（四）", "第十一条（三）"],
    "05-accident-not-enough.json": ["第四条"],
    "06-imputed-minimum-wage.json": ["第四条"],
    "07-below-six-months-no-aid.json": ["第四条（一）"],
    "08-conscript-not-counted.json": ["第四条（三）"],
    "09-unemployed-over-two-years.json": ["第六条"],
    "10-socialized-retiree.json": ["第五条"],
    "11-migrant-worker.json": ["第四条（三）", "第四条（五）"],
    "12-migrant-no-permit.json": ["第四条（五）"],
}

# Articles other than the deciding ones that an example's explanation names.
OTHER_ARTICLES = {
    "05-accident-not-enough.json": ["第十三条", "第四条（四）"],
    "06-imputed-minimum-wage.json": ["第十三条"],
    "08-conscript-not-counted.json": ["第九条"],
}


def _assess_file(name: str):
    data = json.loads((HOUSEHOLDS_DIR / name).read_text(encoding="utf-8"))
    return data, assess(parse_household(data, today=ASSESSMENT_DATE))


def test_all_examples_found():
    assert len(FILES) >= 12
    assert set(DECIDING_ARTICLES) <= set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_example_matches_expected(name):
    data, result = _assess_file(name)
    expected = data["expected"]
    assert result.verdict == expected["verdict"]
    assert result.categories == expected["categories"]
    assert result.exclusions == expected["exclusions"]
    assert result.members_counted == expected["members_counted"]
    assert result.per_capita_monthly_income == expected["per_capita_monthly_income"]
    assert result.expected_view() == expected


@pytest.mark.parametrize("name", sorted(DECIDING_ARTICLES))
def test_example_names_deciding_articles(name):
    _, result = _assess_file(name)
    texts = "\n".join(item.text for item in result.explanations)
    deciding = "、".join(result.deciding_articles)
    for article in DECIDING_ARTICLES[name]:
        assert article in deciding, article
        assert article in texts, article
    for article in OTHER_ARTICLES.get(name, []):
        assert article in texts, article


@pytest.mark.parametrize("name", FILES)
def test_example_result_serialises(name):
    _, result = _assess_file(name)
    dumped = json.loads(result.model_dump_json())
    assert dumped["rules_version"] == RULES_VERSION
    assert dumped["per_capita_monthly_income"] == result.per_capita_monthly_income
    assert isinstance(dumped["income"]["disposable_income"], str)
    assert all(
        item["text"].startswith(item["article"]) for item in dumped["explanations"]
    )


def test_example_explanation_line():
    _, result = _assess_file("01-dibao-household.json")
    texts = [item.text for item in result.explanations]
    line = (
        "第四条（二）、第十一条（一）：持有户籍地政府颁发的低保证，"
        "救助后人均可支配收入 726.67 元低于低保标准 850.00 元"
    )
    assert line in texts


def test_imputation_shown():
    _, result = _assess_file("05-accident-not-enough.json")
    assert len(result.imputations) == 1
    imputation = result.imputations[0]
    assert imputation.member_id == "m2"
    assert str(imputation.declared) == "22200.00"
    assert imputation.counted == 26400


def test_conscript_excluded_with_reason():
    _, result = _assess_file("08-conscript-not-counted.json")
    conscript = next(item for item in result.members if item.id == "m3")
    assert not conscript.counted
    assert "现役义务兵" in conscript.reason
    assert conscript.article == "第九条"


def test_migrant_uses_work_standards():
    _, result = _assess_file("11-migrant-worker.json")
    assert result.migrant
    assert result.standards_used.region == "示例市示例区"
    assert result.standards_used.basis == "work_place"
    assert result.hukou_standards is not None
    assert result.hukou_standards.region == "示例县"


def test_migrant_without_permit_names_condition():
    _, result = _assess_file("12-migrant-no-permit.json")
    failed = [check.code for check in result.scope_checks if not check.passed]
    assert failed == ["residence_permit"]
    assert "residence_permit:m1" in result.materials_missing


def test_dibao_household_materials():
    _, result = _assess_file("01-dibao-household.json")
    codes = {item.code for item in result.materials}
    assert {"application", "id_card", "hukou_book", "hardship_proof"} <= codes
    assert "dibao_certificate" in codes
    assert "disability_certificate" in codes
    assert "school_certificate" in codes
    assert "residence_permit" not in codes
