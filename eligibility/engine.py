"""The assessment engine: from a validated household to an AssessmentResult."""

from decimal import Decimal
from functools import lru_cache

from eligibility.categories import CATEGORY_ARTICLES, Basis, assess_categories
from eligibility.grades import suggest_grade
from eligibility.materials import missing_codes, required_materials
from eligibility.members import MemberIncome, assess_member
from eligibility.models import Household, Standards
from eligibility.money import MONTHS_PER_YEAR, round_cents, yuan
from eligibility.result import (
    AssessmentResult,
    CategoryResult,
    ExclusionResult,
    Explanation,
    IncomeSummary,
    Issue,
    MemberAssessment,
    ScopeCheck,
    Verdict,
    build,
)
from eligibility.scope import exclusions, migrant_checks, scope_checks
from eligibility.standards import describe, resolve, standards_used
from eligibility.validation import ParsedHousehold
from eligibility.version import RULES_VERSION

VERDICT_LABELS = {
    "eligible": "符合困难职工家庭认定条件",
    "not_eligible": "不符合困难职工家庭认定条件",
    "needs_decision": "由市、县工会视困难程度决定是否建档帮扶",
}


class NoCountedMember(ValueError):
    """Raised when no member of the household counts under 第九条 and 第十条."""


def _explain(
    article: str,
    code: str,
    outcome: str,
    text: str,
    figures: dict[str, str] | None = None,
) -> Explanation:
    if figures is None:
        return _static_explanation(article, code, outcome, text)
    return build(
        Explanation,
        article=article,
        code=code,
        outcome=outcome,
        text=f"{article}：{text}",
        figures=figures or {},
    )


# Result models are frozen, so lines without figures are shared between
# results instead of being rebuilt for every assessment.
@lru_cache(maxsize=4096)
def _static_explanation(
    article: str, code: str, outcome: str, text: str
) -> Explanation:
    return build(
        Explanation,
        article=article,
        code=code,
        outcome=outcome,
        text=f"{article}：{text}",
        figures={},
    )


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
    explanations: list[Explanation] = []

    own = resolve(household.standards, standards, field="standards", assessment_date=on)
    has_work_place = work_standards is not None or household.work_standards is not None
    migrant = applicant.hukou == "rural" and has_work_place
    own_used = standards_used(own, basis="household", hukou=applicant.hukou)
    if migrant:
        work = resolve(
            household.work_standards,
            work_standards,
            field="work_standards",
            assessment_date=on,
        )
        used = standards_used(work, basis="work_place", hukou="urban")
        hukou_used = own_used
        rates = work
    else:
        used = own_used
        hukou_used = None
        rates = own
    explanations.append(_explain("第四条", "standards", "note", describe(used)))
    if hukou_used is not None:
        explanations.append(
            _explain(
                "第四条（五）",
                "standards.hukou_place",
                "note",
                describe(hukou_used, "hukou_place") + "，用于自家务农收入的计算",
            )
        )
    elif has_work_place:
        explanations.append(
            _explain(
                "第四条（五）",
                "standards.work_place_unused",
                "note",
                "申请人非农村户籍，不按务工地标准评估，务工地标准未使用",
            )
        )

    members, incomes = _assess_members(household, rates, own, explanations)
    count = len(incomes)
    if count == 0:
        raise NoCountedMember(
            "No member of the household counts under 第九条 and 第十条, so "
            "per-capita income is undefined. Correct the member records."
        )
    income = _income_summary(incomes, count, explanations)

    exclusion_results = exclusions(household)
    _explain_exclusions(exclusion_results, explanations)

    applicant_income = incomes.get(applicant.member)
    applicant_wages, applicant_gross = _applicant_wages(household, applicant_income)
    checks = scope_checks(household, applicant_wages, applicant_gross)
    if not applicant.union_member and not migrant:
        checks.append(
            build(
                ScopeCheck,
                code="union_membership",
                article="第二条、第三十条",
                passed=True,
                reason=(
                    "申请人尚未加入工会，会员身份不是认定条件。可先入会后向基层工会申请，"
                    "或直接向工作所在地的职工服务中心申请"
                ),
            )
        )
    migrant_results = migrant_checks(household) if migrant else []
    for check in checks:
        explanations.append(
            _explain(
                check.article,
                f"scope.{check.code}",
                "met" if check.passed else "not_met",
                check.reason,
            )
        )
    for check in migrant_results:
        explanations.append(
            _explain(
                check.article,
                f"migrant.{check.code}",
                "met" if check.passed else "not_met",
                check.reason,
            )
        )

    basis = Basis(
        disposable=income.disposable_income,
        members=count,
        dibao=used.dibao,
        low_income_line=used.low_income_line,
    )
    category_results = assess_categories(household, basis)
    if migrant:
        category_results.append(_category_5(category_results, migrant_results))
    for category in category_results:
        explanations.append(
            _explain(
                category.article,
                f"category.{category.number}",
                "met" if category.met else "not_met",
                category.reason,
                {key: yuan(value) for key, value in category.figures.items()},
            )
        )
    met = [category.number for category in category_results if category.met]

    verdict, deciding = _verdict(
        exclusion_results, checks, migrant_results, category_results
    )
    grade = suggest_grade(household, recognised=verdict == "eligible")
    explanations.append(
        _explain(
            grade.article, "grade", "met" if grade.grade else "not_met", grade.reason
        )
    )
    decision_figures = None
    if verdict == "needs_decision":
        decision_figures = _decision_figures(household, income, used.dibao)

    counted_ids = frozenset(incomes)
    materials = required_materials(household, counted_ids=counted_ids, migrant=migrant)
    explanations.append(
        _explain(
            "、".join(deciding),
            "verdict",
            "applied",
            f"结论：{VERDICT_LABELS[verdict]}",
        )
    )

    return build(
        AssessmentResult,
        verdict=verdict,
        categories=met,
        exclusions=[item.code for item in exclusion_results if item.hit],
        members_counted=count,
        per_capita_monthly_income=str(income.per_capita_monthly),
        rules_version=RULES_VERSION,
        assessment_date=on,
        deciding_articles=deciding,
        migrant=migrant,
        category_results=category_results,
        exclusion_results=exclusion_results,
        scope_checks=checks + migrant_results,
        members=members,
        imputations=[
            item.imputation for item in incomes.values() if item.imputation is not None
        ],
        income=income,
        standards_used=used,
        hukou_standards=hukou_used,
        grade=grade,
        decision_figures=decision_figures,
        materials=materials,
        materials_missing=missing_codes(materials),
        explanations=explanations,
        warnings=warnings,
    )


def _assess_members(
    household: Household,
    rates: Standards,
    hukou_standards: Standards,
    explanations: list[Explanation],
) -> tuple[list[MemberAssessment], dict[str, MemberIncome]]:
    members: list[MemberAssessment] = []
    incomes: dict[str, MemberIncome] = {}
    for member in household.members:
        assessment, income = assess_member(
            member, household, standards=rates, hukou_standards=hukou_standards
        )
        members.append(assessment)
        verb = "计入" if assessment.counted else "不计入"
        explanations.append(
            _explain(
                assessment.article,
                f"member.{member.id}",
                "met" if assessment.counted else "not_met",
                f"成员 {member.id}（{member.relation}）{verb}家庭人口："
                + assessment.reason,
            )
        )
        if income is None:
            continue
        incomes[member.id] = income
        if income.imputation is not None:
            imputation = income.imputation
            explanations.append(
                build(
                    Explanation,
                    article="第十三条",
                    code=f"imputation.{member.id}",
                    outcome="applied",
                    text=imputation.text,
                    figures={
                        "declared": yuan(imputation.declared),
                        "counted": yuan(imputation.counted),
                        "basis_monthly": yuan(imputation.basis_monthly),
                    },
                )
            )
    return members, incomes


def _income_summary(
    incomes: dict[str, MemberIncome], count: int, explanations: list[Explanation]
) -> IncomeSummary:
    total = tax = social = Decimal("0")
    for item in incomes.values():
        total += item.gross_counted
        tax += item.income_tax
        social += item.social_security
    disposable = total - tax - social
    exact = disposable / MONTHS_PER_YEAR / count
    rounded = round_cents(exact)
    explanations.append(
        _explain(
            "第十条",
            "income",
            "applied",
            f"家庭总收入 {yuan(total)} 元 − 所得税 {yuan(tax)} 元 − 社会保障支出 "
            f"{yuan(social)} 元 = 家庭可支配收入 {yuan(disposable)} 元，"
            f"人均月收入 = {yuan(disposable)} / 12 / {count} 人 = {rounded} 元",
            {
                "total_income": yuan(total),
                "income_tax": yuan(tax),
                "social_security": yuan(social),
                "disposable_income": yuan(disposable),
                "members_counted": str(count),
                "per_capita_monthly": str(rounded),
            },
        )
    )
    return build(
        IncomeSummary,
        total_income=total,
        income_tax=tax,
        social_security=social,
        disposable_income=disposable,
        members_counted=count,
        per_capita_monthly_exact=exact,
        per_capita_monthly=rounded,
    )


def _explain_exclusions(
    results: list[ExclusionResult], explanations: list[Explanation]
) -> None:
    hits = [item for item in results if item.hit]
    for item in hits:
        explanations.append(
            _explain(
                item.article,
                f"exclusion.{item.code}",
                "met",
                item.label + "，不予认定、建档",
            )
        )
    if not hits:
        explanations.append(
            _explain("第十四条", "exclusion.none", "not_met", "无不予认定、建档的情形")
        )


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
    categories: list[CategoryResult], conditions: list[ScopeCheck]
) -> CategoryResult:
    met_numbers = [category.number for category in categories if category.met]
    failed = [check.reason for check in conditions if not check.passed]
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
    return build(
        CategoryResult,
        number=5,
        met=met,
        article=CATEGORY_ARTICLES[5],
        formula=(
            "农村户籍 + 工会会员 + 务工地居住证 + 劳动合同 ≥ 12 个月"
            " + 按务工地标准符合（一）至（四）之一"
        ),
        figures={},
        reason=reason,
    )


def _verdict(
    exclusion_results: list[ExclusionResult],
    checks: list[ScopeCheck],
    migrant_results: list[ScopeCheck],
    categories: list[CategoryResult],
) -> tuple[Verdict, list[str]]:
    """Decide the verdict in the order: 第十四条, scope, migrant conditions,
    the 第五条 exception area, then the categories."""
    failing_articles: list[str] = []
    if any(item.hit for item in exclusion_results):
        failing_articles.append("第十四条")
    for check in checks:
        if not check.passed and check.article not in failing_articles:
            failing_articles.append(check.article)
    if any(not check.passed for check in migrant_results):
        failing_articles.append("第四条（五）")
    if failing_articles:
        return "not_eligible", failing_articles
    if any(check.code == "retiree_exception_area" for check in checks):
        return "needs_decision", ["第五条"]
    met = [category for category in categories if category.met]
    if met:
        return "eligible", [category.article for category in met]
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
