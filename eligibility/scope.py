"""第十四条 exclusions, the scope rules of 第二条, 第五条 and 第六条, and the
four conditions of a migrant-worker family (第四条（五）).

Each scope rule is returned with its explanation line. Results whose text
comes only from this module are built once at import and shared, because
result models are frozen. Results that quote the household's figures or
dates are built for each assessment.
"""

from datetime import date
from decimal import Decimal

from eligibility.dates import add_years_clamped
from eligibility.models import Household
from eligibility.money import yuan
from eligibility.result import (
    ExclusionCode,
    ExclusionResult,
    Explanation,
    ScopeCheck,
    create,
)

EXCLUSION_ARTICLE = "第十四条"
SCOPE_YEARS_WITHOUT_BENEFIT = 2
MIN_CONTRACT_MONTHS = 12
MIGRANT_ARTICLE = "第四条（五）"

CheckLine = tuple[ScopeCheck, Explanation]


def check_line(
    code: str, article: str, passed: bool, reason: str, *, prefix: str = "scope"
) -> CheckLine:
    """Build a scope rule's result and its explanation line."""
    check = create(
        ScopeCheck,
        {"code": code, "article": article, "passed": passed, "reason": reason},
    )
    line = create(
        Explanation,
        {
            "article": article,
            "code": f"{prefix}.{code}",
            "outcome": "met" if passed else "not_met",
            "text": f"{article}：{reason}",
            "figures": {},
        },
    )
    return check, line


def _exclusion_line(code: str, label: str) -> Explanation:
    return create(
        Explanation,
        {
            "article": EXCLUSION_ARTICLE,
            "code": f"exclusion.{code}",
            "outcome": "met",
            "text": f"{EXCLUSION_ARTICLE}：{label}，不予认定、建档",
            "figures": {},
        },
    )


EXCLUSION_LABELS: dict[ExclusionCode, str] = {
    "homes": "拥有2套（含）以上住宅",
    "business": "拥有商业店铺或雇佣他人从事经营活动",
    "private_school": "子女进入高收费私立学校或自费出国留学",
    "vehicles": "非受雇佣经常使用机动车辆、船舶、工程机械以及大型农机具",
    "refuses_verification": "不如实提供、拒绝调查核实家庭财产和收入状况",
}
# For each code, the result when not hit and when hit, and the line of a hit.
_EXCLUSIONS = {
    code: (
        create(
            ExclusionResult,
            {"code": code, "hit": False, "article": EXCLUSION_ARTICLE, "label": label},
        ),
        create(
            ExclusionResult,
            {"code": code, "hit": True, "article": EXCLUSION_ARTICLE, "label": label},
        ),
        _exclusion_line(code, label),
    )
    for code, label in EXCLUSION_LABELS.items()
}
_NO_HITS = tuple(missed for missed, _, _ in _EXCLUSIONS.values())
NO_EXCLUSION_LINE = create(
    Explanation,
    {
        "article": EXCLUSION_ARTICLE,
        "code": "exclusion.none",
        "outcome": "not_met",
        "text": f"{EXCLUSION_ARTICLE}：无不予认定、建档的情形",
        "figures": {},
    },
)


def exclusions(
    household: Household,
) -> tuple[list[ExclusionResult], list[ExclusionCode], list[Explanation]]:
    """Return every 第十四条 exclusion, hit or not, the codes of the hits and
    the explanation lines."""
    assets = household.assets
    hits = (
        assets.homes >= 2,
        assets.commercial_shop or assets.employs_others,
        assets.private_school_or_abroad,
        assets.frequent_vehicle_use,
        assets.refuses_verification,
    )
    if not any(hits):
        return list(_NO_HITS), [], [NO_EXCLUSION_LINE]
    results = []
    codes: list[ExclusionCode] = []
    lines = []
    for code, hit in zip(EXCLUSION_LABELS, hits, strict=True):
        missed, hit_result, line = _EXCLUSIONS[code]
        if hit:
            results.append(hit_result)
            codes.append(code)
            lines.append(line)
        else:
            results.append(missed)
    return results, codes, lines


def unemployment_scope_end(job_lost_on: date) -> date:
    """Return the last day of the two years after a job loss.

    29 February plus two years is 28 February.
    """
    return add_years_clamped(job_lost_on, SCOPE_YEARS_WITHOUT_BENEFIT)


def scope_checks(
    household: Household, applicant_wages: Decimal, applicant_income: Decimal
) -> list[CheckLine]:
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


_HAS_UNION = check_line("employer_has_union", "第二条", True, "所在单位已建立工会组织")
_NO_UNION = check_line(
    "employer_has_union",
    "第二条",
    False,
    "所在单位未建立工会组织，不属于本办法适用范围",
)


def _employed_checks(
    household: Household, wages: Decimal, income: Decimal
) -> list[CheckLine]:
    mainly_wages = income == 0 or wages * 2 >= income
    reason = f"申请人工资性收入 {yuan(wages)} 元，占本人总收入 {yuan(income)} 元的" + (
        "一半以上，以工资收入为主要生活来源"
        if mainly_wages
        else "不足一半，不以工资收入为主要生活来源"
    )
    return [
        _HAS_UNION if household.applicant.employer_has_union else _NO_UNION,
        check_line("lives_mainly_on_wages", "第二条", mainly_wages, reason),
    ]


_ON_BENEFIT = check_line(
    "unemployment_period", "第六条", True, "下岗失业职工正在领取失业保险金"
)
_NO_JOB_LOSS_DATE = check_line(
    "unemployment_period",
    "第六条",
    False,
    "未领取失业保险金，且未填写下岗失业日期，无法确认是否在2年内",
)
_REFUSED_TRAINING = check_line(
    "no_refused_training",
    "第六条",
    False,
    "本人或有劳动能力的家庭成员在失业后一年内无故拒绝技能（就业）培训"
    "或3次（含）以上就业推荐",
)
_NO_REFUSED_TRAINING = check_line(
    "no_refused_training", "第六条", True, "未无故拒绝培训或就业推荐"
)


def _unemployed_checks(household: Household) -> list[CheckLine]:
    applicant = household.applicant
    if applicant.unemployment_benefit:
        period = _ON_BENEFIT
    elif applicant.job_lost_on is None:
        period = _NO_JOB_LOSS_DATE
    else:
        ends_on = unemployment_scope_end(applicant.job_lost_on)
        within = household.assessment_date <= ends_on
        period = check_line(
            "unemployment_period",
            "第六条",
            within,
            f"未领取失业保险金，{applicant.job_lost_on} 下岗失业，"
            f"2年期限至 {ends_on}，评估日 {household.assessment_date}"
            + ("在期限内" if within else "已超过期限"),
        )
    refused = applicant.refused_training_or_referrals
    return [period, _REFUSED_TRAINING if refused else _NO_REFUSED_TRAINING]


_EXCEPTION_AREA = check_line(
    "retiree_exception_area",
    "第五条",
    True,
    "居住在独立工矿区或企业退休人员集中的生活区、仍由企业管理服务的退休职工，"
    "由市、县工会视困难程度决定是否建档",
)
_SOCIALIZED = check_line(
    "socialized_retiree",
    "第五条",
    False,
    "已实行社会化管理的退休人员，原则上不再纳入建档范围",
)
_NOT_SOCIALIZED = check_line(
    "socialized_retiree",
    "第五条",
    True,
    "退休人员未实行社会化管理，不受第五条排除",
)


def _retired_checks(household: Household) -> list[CheckLine]:
    applicant = household.applicant
    if applicant.retiree_exception_area:
        return [_EXCEPTION_AREA]
    if applicant.socialized_retiree:
        return [_SOCIALIZED]
    return [_NOT_SOCIALIZED]


UNION_NOT_REQUIRED = check_line(
    "union_membership",
    "第二条、第三十条",
    True,
    "申请人尚未加入工会，会员身份不是认定条件。可先入会后向基层工会申请，"
    "或直接向工作所在地的职工服务中心申请",
)


def _migrant(code: str, passed: bool, reason: str) -> CheckLine:
    return check_line(code, MIGRANT_ARTICLE, passed, reason, prefix="migrant")


# For each fixed condition, the result when it fails and when it holds.
_RURAL_HUKOU = (
    _migrant("rural_hukou", False, "户籍不在农村"),
    _migrant("rural_hukou", True, "户籍在农村"),
)
_UNION_MEMBER = (
    _migrant("union_member", False, "未加入工会组织"),
    _migrant("union_member", True, "已加入工会组织"),
)
_RESIDENCE_PERMIT = (
    _migrant("residence_permit", False, "未办理务工地《居住证》"),
    _migrant("residence_permit", True, "已办理务工地《居住证》"),
)


def migrant_checks(household: Household) -> list[CheckLine]:
    """Return the four conditions of 第四条（五）besides categories 1-4."""
    applicant = household.applicant
    months = applicant.contract_months
    contract_ok = months >= MIN_CONTRACT_MONTHS
    return [
        _RURAL_HUKOU[applicant.hukou == "rural"],
        _UNION_MEMBER[applicant.union_member],
        _RESIDENCE_PERMIT[applicant.residence_permit],
        _migrant(
            "labour_contract",
            contract_ok,
            f"劳动合同期限 {months} 个月，"
            + ("满一年（含）以上" if contract_ok else "不满一年"),
        ),
    ]
