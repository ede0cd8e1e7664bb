"""The assessment engine: from a validated household to an AssessmentResult."""

from decimal import Decimal
from functools import lru_cache

from eligibility.categories import Basis, assess_categories, category_result
from eligibility.grades import grade_line, suggest_grade
from eligibility.materials import missing_codes, required_materials
from eligibility.members import MemberIncome, assess_members
from eligibility.models import Household, Standards
from eligibility.money import MONTHS_PER_YEAR, ZERO, round_cents, yuan
from eligibility.rates import rates_for
from eligibility.result import (
    AssessmentResult,
    CategoryResult,
    Explanation,
    IncomeSummary,
    Issue,
    ScopeCheck,
    Verdict,
    create,
    new_instance,
    set_dict,
    set_extra,
    set_fields_set,
    set_private,
)
from eligibility.scope import (
    UNION_NOT_REQUIRED,
    exclusions,
    migrant_checks,
    scope_checks,
)
from eligibility.standards import resolve
from eligibility.validation import ParsedHousehold
from eligibility.version import RULES_VERSION

VERDICT_LABELS = {
    "eligible": "符合困难职工家庭认定条件",
    "not_eligible": "不符合困难职工家庭认定条件",
    "needs_decision": "由市、县工会视困难程度决定是否建档帮扶",
}


class NoCountedMember(ValueError):
    """Raised when no member of the household counts under 第九条 and 第十条."""


def assess(
    household: Household | ParsedHousehold,
    *,
    standards: Standards | None = None,
    work_standards: Standards | None = None,
) -> AssessmentResult:
    """Assess a household under 第二条 to 第十七条.

    `standards` and `work_standards` override the file's blocks, for a file
    that names only a region. A worker with rural hukou whose work place
    standards are known is assessed as a migrant-worker family (第四条（五）).
    Raises `StandardsMissing` or `StandardsNotInForce` when the standards
    cannot be used, and `NoCountedMember` when no member counts.
    """
    warnings: list[Issue] = []
    if isinstance(household, ParsedHousehold):
        warnings = list(household.warnings)
        household = household.household
    on = household.assessment_date
    applicant = household.applicant

    own = resolve(household.standards, standards, field="standards", assessment_date=on)
    has_work_place = work_standards is not None or household.work_standards is not None
    migrant = applicant.hukou == "rural" and has_work_place
    work = None
    if migrant:
        work = resolve(
            household.work_standards,
            work_standards,
            field="work_standards",
            assessment_date=on,
        )
    rates = rates_for(own, work, hukou=applicant.hukou, has_work_place=has_work_place)
    explanations = list(rates.explanations)

    members, incomes = assess_members(household, rates, explanations)
    count = len(incomes)
    if count == 0:
        raise NoCountedMember(
            "No member of the household counts under 第九条 and 第十条, so "
            "per-capita income is undefined. Correct the member records."
        )
    income, disposable_text = _income_summary(incomes, count, explanations)

    exclusion_results, excluded, exclusion_lines = exclusions(household)
    explanations += exclusion_lines

    applicant_wages, applicant_gross = _applicant_wages(
        household, incomes.get(applicant.member)
    )
    check_lines = scope_checks(household, applicant_wages, applicant_gross)
    if not applicant.union_member and not migrant:
        check_lines.append(UNION_NOT_REQUIRED)
    checks = []
    for check, line in check_lines:
        checks.append(check)
        explanations.append(line)
    migrant_results = []
    migrant_failures = []
    if migrant:
        for check, line in migrant_checks(household):
            migrant_results.append(check)
            explanations.append(line)
            if not check.passed:
                migrant_failures.append(check.reason)

    basis = Basis(
        income.disposable_income,
        disposable_text,
        count,
        income.per_capita_monthly_exact,
        str(income.per_capita_monthly),
        rates,
    )
    category_lines = assess_categories(household, basis)
    category_results = []
    met_numbers = []
    met_articles = []
    for category, line in category_lines:
        category_results.append(category)
        explanations.append(line)
        if category.met:
            met_numbers.append(category.number)
            met_articles.append(category.article)
    if migrant:
        category, line = _category_5(met_numbers, migrant_failures)
        category_results.append(category)
        explanations.append(line)
        if category.met:
            met_numbers.append(category.number)
            met_articles.append(category.article)

    verdict, deciding = _verdict(
        bool(excluded), checks, bool(migrant_failures), met_articles
    )
    grade = suggest_grade(household, recognised=verdict == "eligible")
    explanations.append(grade_line(grade))
    decision_figures = None
    if verdict == "needs_decision":
        decision_figures = _decision_figures(household, income, rates.dibao)

    materials = required_materials(
        household, counted_ids=incomes.keys(), assessments=members, migrant=migrant
    )
    explanations.append(_verdict_line("、".join(deciding), verdict))

    return create(
        AssessmentResult,
        {
            "verdict": verdict,
            "categories": met_numbers,
            "exclusions": excluded,
            "members_counted": count,
            "per_capita_monthly_income": basis.per_capita_text,
            "rules_version": RULES_VERSION,
            "assessment_date": on,
            "deciding_articles": deciding,
            "migrant": migrant,
            "category_results": category_results,
            "exclusion_results": exclusion_results,
            "scope_checks": checks + migrant_results,
            "members": members,
            "imputations": [
                item.imputation
                for item in incomes.values()
                if item.imputation is not None
            ],
            "income": income,
            "standards_used": rates.used,
            "hukou_standards": rates.hukou_used,
            "grade": grade,
            "decision_figures": decision_figures,
            "materials": materials,
            "materials_missing": missing_codes(materials),
            "explanations": explanations,
            "warnings": warnings,
        },
    )


@lru_cache(maxsize=256)
def _verdict_line(articles: str, verdict: Verdict) -> Explanation:
    return create(
        Explanation,
        {
            "article": articles,
            "code": "verdict",
            "outcome": "applied",
            "text": f"{articles}：结论：{VERDICT_LABELS[verdict]}",
            "figures": {},
        },
    )


def _income_summary(
    incomes: dict[str, MemberIncome], count: int, explanations: list[Explanation]
) -> tuple[IncomeSummary, str]:
    """Sum the counted members' incomes and return the summary and the
    disposable income formatted as yuan."""
    total = tax = social = ZERO
    for item in incomes.values():
        total += item.gross_counted
        tax += item.income_tax
        social += item.social_security
    disposable = total - tax - social

    exact = disposable / MONTHS_PER_YEAR / count
    rounded = round_cents(exact)

    total_text = yuan(total)
    tax_text = yuan(tax)
    social_text = yuan(social)
    disposable_text = yuan(disposable)
    rounded_text = str(rounded)

    # `create` inlined twice, because this runs for every assessment.
    line = new_instance(Explanation)
    set_dict(
        line,
        {
            "article": "第十条",
            "code": "income",
            "outcome": "applied",
            "text": (
                f"第十条：家庭总收入 {total_text} 元 − 所得税 {tax_text} 元 − "
                f"社会保障支出 {social_text} 元 = 家庭可支配收入 "
                f"{disposable_text} 元，人均月收入 = {disposable_text} / 12 / "
                f"{count} 人 = {rounded_text} 元"
            ),
            "figures": {
                "total_income": total_text,
                "income_tax": tax_text,
                "social_security": social_text,
                "disposable_income": disposable_text,
                "members_counted": str(count),
                "per_capita_monthly": rounded_text,
            },
        },
    )
    set_fields_set(line, _LINE_FIELDS)
    set_extra(line, None)
    set_private(line, None)
    explanations.append(line)

    summary = new_instance(IncomeSummary)
    set_dict(
        summary,
        {
            "total_income": total,
            "income_tax": tax,
            "social_security": social,
            "disposable_income": disposable,
            "members_counted": count,
            "per_capita_monthly_exact": exact,
            "per_capita_monthly": rounded,
        },
    )
    set_fields_set(summary, _SUMMARY_FIELDS)
    set_extra(summary, None)
    set_private(summary, None)
    return summary, disposable_text


_LINE_FIELDS = Explanation.__result_fields_set__
_SUMMARY_FIELDS = IncomeSummary.__result_fields_set__


def _applicant_wages(
    household: Household, income: MemberIncome | None
) -> tuple[Decimal, Decimal]:
    """Return the applicant's annual wages and gross income as counted.

    The applicant's figures count only when the applicant is a counted
    member, otherwise the declared ones are used.
    """
    annual = household.applicant_member().annual
    if income is None:
        gross = (
            annual.wages
            + annual.business
            + annual.property
            + annual.transfer
            + annual.other
        )
        return annual.wages, gross
    imputed = income.imputation
    if imputed is not None and imputed.rule == "minimum_wage_floor":
        return imputed.counted, income.gross_counted
    if imputed is not None:
        # Farming imputation replaces every figure, so all of it is earned.
        return income.gross_counted, income.gross_counted
    return annual.wages, income.gross_counted


def _category_5(
    met_numbers: list[int], failed: list[str]
) -> tuple[CategoryResult, Explanation]:
    """Decide category 5 from the categories 1 to 4 met at the work place's
    standards and the reasons of the failed 第四条（五） conditions."""
    met = bool(met_numbers) and not failed
    if failed:
        reason = "不满足农民工家庭条件：" + "、".join(failed)
    elif not met_numbers:
        reason = (
            "满足农民工家庭四项条件，但按务工地标准不符合第四条（一）至（四）任一项"
        )
    else:
        listed = "、".join(f"（{'一二三四'[n - 1]}）" for n in met_numbers)
        reason = (
            "户籍在农村、已入会、有居住证、劳动合同满一年，"
            f"按务工地标准符合第四条{listed}"
        )
    return category_result(5, met, MIGRANT_FORMULA, {}, {}, reason)


MIGRANT_FORMULA = (
    "农村户籍 + 工会会员 + 务工地居住证 + 劳动合同 ≥ 12 个月"
    " + 按务工地标准符合（一）至（四）之一"
)


def _verdict(
    excluded: bool,
    checks: list[ScopeCheck],
    migrant_failed: bool,
    met_articles: list[str],
) -> tuple[Verdict, list[str]]:
    """Decide the verdict in the order: 第十四条, scope, migrant conditions,
    the 第五条 exception area, then the categories met."""
    failing_articles = ["第十四条"] if excluded else []
    for check in checks:
        if not check.passed and check.article not in failing_articles:
            failing_articles.append(check.article)
    if migrant_failed:
        failing_articles.append("第四条（五）")
    if failing_articles:
        return "not_eligible", failing_articles
    for check in checks:
        if check.code == "retiree_exception_area":
            return "needs_decision", ["第五条"]
    if met_articles:
        return "eligible", list(met_articles)
    return "not_eligible", ["第四条"]


def _decision_figures(
    household: Household, income: IncomeSummary, dibao: Decimal
) -> dict[str, Decimal]:
    """Return the figures a city or county union weighs under 第五条."""
    event = household.sudden_event
    return {
        "per_capita_monthly": income.per_capita_monthly_exact,
        "dibao": dibao,
        "disposable_income": income.disposable_income,
        "special_expenses": household.special_expenses,
        "sudden_event_expenses": event.expenses if event else Decimal("0"),
        "major_illness_years_over_income": Decimal(
            household.major_illness_years_over_income
        ),
    }
