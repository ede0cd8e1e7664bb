"""The 极困 (extreme hardship) grade suggestion of 第十五条（二）."""

from eligibility.models import Household
from eligibility.result import Explanation, GradeSuggestion, create

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
    if not recognised:
        return NOT_RECOGNISED
    years = household.major_illness_years_over_income
    event = household.sudden_event
    illness = "illness" in household.hardship_causes or (
        event is not None and event.kind == "major_illness"
    )
    if not illness:
        return NO_MAJOR_ILLNESS
    if years >= MIN_YEARS_OVER_INCOME:
        return create(
            GradeSuggestion,
            {
                "grade": "extreme",
                "label": EXTREME_LABEL,
                "article": GRADE_ARTICLE,
                "reason": (
                    f"家庭成员患重大疾病，已连续 {years} 年当年医疗费自付部分超过"
                    "家庭当年全部收入，建议认定为极困职工。需终身治疗、法定赡养人"
                    "无力承担由工作人员核实"
                ),
            },
        )
    return _no_grade(
        f"医疗费自付部分超过家庭全部收入的连续年数为 {years} 年，不满3年，"
        "不符合极困条件（二）"
    )


def _no_grade(reason: str) -> GradeSuggestion:
    return create(
        GradeSuggestion,
        {"grade": None, "label": None, "article": GRADE_ARTICLE, "reason": reason},
    )


# Suggestions that quote no figure, shared because result models are frozen.
NOT_RECOGNISED = _no_grade("家庭未被评估为困难职工家庭，不评定困难等级")
NO_MAJOR_ILLNESS = _no_grade("家庭无重大疾病情况，不符合极困条件（二）")


def grade_line(grade: GradeSuggestion) -> Explanation:
    """Return the explanation line of a grade suggestion."""
    shared = _SHARED_LINES.get(id(grade))
    if shared is not None:
        return shared
    return _line(grade)


def _line(grade: GradeSuggestion) -> Explanation:
    return create(
        Explanation,
        {
            "article": grade.article,
            "code": "grade",
            "outcome": "met" if grade.grade else "not_met",
            "text": f"{grade.article}：{grade.reason}",
            "figures": {},
        },
    )


# Keyed by identity, which is safe because the module keeps both objects.
_SHARED_LINES = {
    id(grade): _line(grade) for grade in (NOT_RECOGNISED, NO_MAJOR_ILLNESS)
}
