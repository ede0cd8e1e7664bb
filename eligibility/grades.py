"""The 极困 (extreme hardship) grade suggestion of 第十五条（二）."""

from eligibility.models import Household
from eligibility.result import GradeSuggestion, build

MIN_YEARS_OVER_INCOME = 3
GRADE_ARTICLE = "第十五条（二）"
EXTREME_LABEL = "极困"


def suggest_grade(household: Household, *, recognised: bool) -> GradeSuggestion:
    """Suggest 极困 when the lifelong major illness condition holds.

    The household file has no field for "needs lifelong treatment". We take
    a major illness as indicated when `hardship_causes` contains `illness` or
    the sudden event is a `major_illness`, and require out-of-pocket medical
    costs above the annual income for `major_illness_years_over_income` >= 3
    consecutive years. The suggestion leaves lifelong treatment and the
    supporters' inability to pay to the caseworker. 第十五条（一） (no way
    out within 5 years) is a caseworker's judgement and is never computed.
    """
    years = household.major_illness_years_over_income
    event = household.sudden_event
    illness = "illness" in household.hardship_causes or (
        event is not None and event.kind == "major_illness"
    )
    condition = illness and years >= MIN_YEARS_OVER_INCOME
    if not recognised:
        return build(
            GradeSuggestion,
            grade=None,
            label=None,
            article=GRADE_ARTICLE,
            reason="家庭未被评估为困难职工家庭，不评定困难等级",
        )
    if condition:
        return build(
            GradeSuggestion,
            grade="extreme",
            label=EXTREME_LABEL,
            article=GRADE_ARTICLE,
            reason=(
                f"家庭成员患重大疾病，已连续 {years} 年当年医疗费自付部分超过家庭当年"
                "全部收入，建议认定为极困职工。需终身治疗、法定赡养人无力承担"
                "由工作人员核实"
            ),
        )
    if illness:
        reason = (
            f"医疗费自付部分超过家庭全部收入的连续年数为 {years} 年，不满3年，"
            "不符合极困条件（二）"
        )
    else:
        reason = "家庭无重大疾病情况，不符合极困条件（二）"
    return build(
        GradeSuggestion, grade=None, label=None, article=GRADE_ARTICLE, reason=reason
    )
