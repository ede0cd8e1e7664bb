"""第十四条 exclusions, the scope rules of 第二条, 第五条 and 第六条, and the
four conditions of a migrant-worker family (第四条（五）)."""

from datetime import date
from decimal import Decimal
from functools import lru_cache

from eligibility.dates import add_years_clamped
from eligibility.models import Household
from eligibility.money import yuan
from eligibility.result import ExclusionResult, ScopeCheck, build

EXCLUSION_ARTICLE = "第十四条"
SCOPE_YEARS_WITHOUT_BENEFIT = 2
MIN_CONTRACT_MONTHS = 12


# Result models are frozen, so equal checks are shared between results.
@lru_cache(maxsize=4096)
def _check(*, code: str, article: str, passed: bool, reason: str) -> ScopeCheck:
    return build(ScopeCheck, code=code, article=article, passed=passed, reason=reason)


@lru_cache(maxsize=64)
def _exclusion(*, code: str, hit: bool, article: str, label: str) -> ExclusionResult:
    return build(ExclusionResult, code=code, hit=hit, article=article, label=label)


def exclusions(household: Household) -> list[ExclusionResult]:
    """Return every 第十四条 exclusion, hit or not."""
    assets = household.assets
    rows = [
        ("homes", assets.homes >= 2, "拥有2套（含）以上住宅"),
        (
            "business",
            assets.commercial_shop or assets.employs_others,
            "拥有商业店铺或雇佣他人从事经营活动",
        ),
        (
            "private_school",
            assets.private_school_or_abroad,
            "子女进入高收费私立学校或自费出国留学",
        ),
        (
            "vehicles",
            assets.frequent_vehicle_use,
            "非受雇佣经常使用机动车辆、船舶、工程机械以及大型农机具",
        ),
        (
            "refuses_verification",
            assets.refuses_verification,
            "不如实提供、拒绝调查核实家庭财产和收入状况",
        ),
    ]
    return [
        _exclusion(code=code, hit=hit, article=EXCLUSION_ARTICLE, label=label)
        for code, hit, label in rows
    ]


def unemployment_scope_end(job_lost_on: date) -> date:
    """Return the last day of the two years after a job loss.

    29 February plus two years is 28 February.
    """
    return add_years_clamped(job_lost_on, SCOPE_YEARS_WITHOUT_BENEFIT)


def scope_checks(
    household: Household, applicant_wages: Decimal, applicant_income: Decimal
) -> list[ScopeCheck]:
    """Return the scope rules that apply to the applicant's employment.

    `applicant_wages` and `applicant_income` are the applicant's counted
    annual wages and gross income, for the 第二条 test that the worker lives
    mainly on wages. We read "mainly" as at least half of the applicant's own
    gross income. An applicant with no income at all passes that test,
    because no other source is then the main one.
    """
    applicant = household.applicant
    if applicant.employment == "employed":
        return _employed_checks(household, applicant_wages, applicant_income)
    if applicant.employment == "unemployed":
        return _unemployed_checks(household)
    return _retired_checks(household)


def _employed_checks(
    household: Household, wages: Decimal, income: Decimal
) -> list[ScopeCheck]:
    has_union = household.applicant.employer_has_union
    checks = [
        _check(
            code="employer_has_union",
            article="第二条",
            passed=has_union,
            reason=(
                "所在单位已建立工会组织"
                if has_union
                else "所在单位未建立工会组织，不属于本办法适用范围"
            ),
        )
    ]
    mainly_wages = income == 0 or wages * 2 >= income
    checks.append(
        _check(
            code="lives_mainly_on_wages",
            article="第二条",
            passed=mainly_wages,
            reason=(
                f"申请人工资性收入 {yuan(wages)} 元，占本人总收入 {yuan(income)} 元的"
                + (
                    "一半以上，以工资收入为主要生活来源"
                    if mainly_wages
                    else "不足一半，不以工资收入为主要生活来源"
                )
            ),
        )
    )
    return checks


def _unemployed_checks(household: Household) -> list[ScopeCheck]:
    applicant = household.applicant
    checks: list[ScopeCheck] = []
    if applicant.unemployment_benefit:
        checks.append(
            _check(
                code="unemployment_period",
                article="第六条",
                passed=True,
                reason="下岗失业职工正在领取失业保险金",
            )
        )
    elif applicant.job_lost_on is None:
        checks.append(
            _check(
                code="unemployment_period",
                article="第六条",
                passed=False,
                reason="未领取失业保险金，且未填写下岗失业日期，无法确认是否在2年内",
            )
        )
    else:
        ends_on = unemployment_scope_end(applicant.job_lost_on)
        within = household.assessment_date <= ends_on
        checks.append(
            _check(
                code="unemployment_period",
                article="第六条",
                passed=within,
                reason=(
                    f"未领取失业保险金，{applicant.job_lost_on} 下岗失业，"
                    f"2年期限至 {ends_on}，评估日 {household.assessment_date}"
                    + ("在期限内" if within else "已超过期限")
                ),
            )
        )
    refused = applicant.refused_training_or_referrals
    checks.append(
        _check(
            code="no_refused_training",
            article="第六条",
            passed=not refused,
            reason=(
                "本人或有劳动能力的家庭成员在失业后一年内无故拒绝技能（就业）培训"
                "或3次（含）以上就业推荐"
                if refused
                else "未无故拒绝培训或就业推荐"
            ),
        )
    )
    return checks


def _retired_checks(household: Household) -> list[ScopeCheck]:
    applicant = household.applicant
    if applicant.retiree_exception_area:
        reason = (
            "居住在独立工矿区或企业退休人员集中的生活区、仍由企业管理服务的退休职工，"
            "由市、县工会视困难程度决定是否建档"
        )
        return [
            _check(
                code="retiree_exception_area",
                article="第五条",
                passed=True,
                reason=reason,
            )
        ]
    if applicant.socialized_retiree:
        return [
            _check(
                code="socialized_retiree",
                article="第五条",
                passed=False,
                reason="已实行社会化管理的退休人员，原则上不再纳入建档范围",
            )
        ]
    return [
        _check(
            code="socialized_retiree",
            article="第五条",
            passed=True,
            reason="退休人员未实行社会化管理，不受第五条排除",
        )
    ]


def migrant_checks(household: Household) -> list[ScopeCheck]:
    """Return the four conditions of 第四条（五）besides categories 1-4."""
    applicant = household.applicant
    contract_ok = applicant.contract_months >= MIN_CONTRACT_MONTHS
    rows = [
        ("rural_hukou", applicant.hukou == "rural", "户籍在农村", "户籍不在农村"),
        ("union_member", applicant.union_member, "已加入工会组织", "未加入工会组织"),
        (
            "residence_permit",
            applicant.residence_permit,
            "已办理务工地《居住证》",
            "未办理务工地《居住证》",
        ),
        (
            "labour_contract",
            contract_ok,
            f"劳动合同期限 {applicant.contract_months} 个月，满一年（含）以上",
            f"劳动合同期限 {applicant.contract_months} 个月，不满一年",
        ),
    ]
    return [
        _check(
            code=code,
            article="第四条（五）",
            passed=passed,
            reason=yes if passed else no,
        )
        for code, passed, yes, no in rows
    ]
