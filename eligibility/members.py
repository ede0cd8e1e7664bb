"""Household members counted (第九条, 第十条) and their incomes (第十三条)."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from eligibility.dates import age_on
from eligibility.models import AnnualIncome, Household, Member
from eligibility.money import MONTHS_PER_YEAR, ZERO, yuan
from eligibility.rates import Rates
from eligibility.result import (
    Explanation,
    Imputation,
    MemberAssessment,
    create,
    new_instance,
    set_dict,
    set_extra,
    set_fields_set,
    set_private,
)
from eligibility.retirement import (
    MIN_WORKING_AGE_YEARS,
    retirement_date,
    retirement_rule,
)

EXCLUDED_REASONS = {
    "conscript": "现役义务兵，不计入家庭成员",
    "clergy_away": "脱离家庭、独立生活一年以上的宗教教职人员，不计入家庭成员",
    "missing": "离家出走、失踪一年以上，不计入家庭成员",
    "in_custody": "在监狱、劳动教养场所内服刑或被羁押，不计入家庭成员",
}


@dataclass(frozen=True)
class Membership:
    """Whether a member counts, why, and under which article.

    `lines` keeps the explanation lines made for this outcome, by member id
    and relation.
    """

    counted: bool
    reason: str
    article: str
    lines: dict[tuple[str, str], Explanation] = field(
        default_factory=dict, compare=False, repr=False
    )


# The few possible outcomes of `membership`, shared because they are frozen.
_EXCLUDED = {
    status: Membership(False, reason, "第九条")
    for status, reason in EXCLUDED_REASONS.items()
}
_SAME_HUKOU = Membership(True, "登记在同一户口簿且共同生活", "第九条")
_STUDENT_AWAY = Membership(
    True, "户籍迁出、由家庭供养的在校就读学生，计入家庭成员", "第九条（三）"
)
_VERIFIED = Membership(
    True, "户口不在同一户口簿，经2人以上入户调查确认共同生活", "第十条"
)
_NOT_VERIFIED = Membership(
    False, "户口不在同一户口簿，且未经2人以上入户调查确认共同生活", "第十条"
)


def membership(member: Member) -> Membership:
    """Decide whether a member counts in the household.

    A student supported by the family whose hukou moved out counts without a
    home visit (第九条（三）), because studying away means not living
    together. Any other member with a separate hukou counts only after a
    home visit by two or more staff confirmed the shared life (第十条).
    """
    if member.excluded_status is not None:
        return _EXCLUDED[member.excluded_status]
    if member.same_hukou:
        return _SAME_HUKOU
    if member.relation == "child" and member.school_certificate:
        return _STUDENT_AWAY
    if member.cohabitation_verified:
        return _VERIFIED
    return _NOT_VERIFIED


class MemberIncome:
    """A counted member's annual figures after 第十三条.

    `imputation_line` is the explanation of `imputation`, when there is one.
    """

    __slots__ = (
        "gross_declared",
        "gross_counted",
        "deductions",
        "income_tax",
        "social_security",
        "imputation",
        "imputation_line",
    )

    def __init__(
        self,
        gross_declared: Decimal,
        gross_counted: Decimal,
        income_tax: Decimal,
        social_security: Decimal,
        imputed: tuple[Imputation, Explanation] | None,
    ) -> None:
        self.gross_declared = gross_declared
        self.gross_counted = gross_counted
        self.deductions = income_tax + social_security
        self.income_tax = income_tax
        self.social_security = social_security
        if imputed is None:
            self.imputation = self.imputation_line = None
        else:
            self.imputation, self.imputation_line = imputed


def declared_income(annual: AnnualIncome) -> Decimal:
    """Return the sum of a member's declared income figures."""
    return (
        annual.wages
        + annual.business
        + annual.property
        + annual.transfer
        + annual.other
    )


def member_income(
    member: Member, declared: Decimal, *, working_age: bool, rates: Rates
) -> MemberIncome:
    """Apply 第十三条 to one counted member's declared gross income.

    The minimum wage is a floor on wages, not a replacement, so documented
    higher wages stay. Farming at home without proof is counted at the hukou
    place's dibao in place of every declared income figure. The rural value
    of the hukou place applies unless the member record gives `hukou_dibao`,
    because farming at home is rural work.
    """
    annual = member.annual
    counted = declared
    imputed = None
    if working_age and not (member.school_certificate or member.incapacity_certificate):
        if member.farming_at_home:
            if not member.income_proof:
                imputed = _farming_imputation(member, declared, rates)
                counted = imputed[0].counted
        elif annual.wages < rates.wage_floor:
            counted = declared - annual.wages + rates.wage_floor
            imputed = _floor_imputation(member, rates)
    return MemberIncome(
        declared, counted, annual.income_tax, annual.social_security, imputed
    )


def _floor_imputation(member: Member, rates: Rates) -> tuple[Imputation, Explanation]:
    wages = member.annual.wages
    wages_text = yuan(wages)
    return _imputation(
        member.id,
        "minimum_wage_floor",
        wages,
        wages_text,
        rates.wage_floor,
        rates.wage_floor_text,
        rates.minimum_wage,
        rates.minimum_wage_text,
        f"第十三条：成员 {member.id} 在法定劳动年龄内，无在校证明或"
        f"无劳动能力证明，工资性收入按最低工资标准 "
        f"{rates.minimum_wage_text} 元 × 12 = {rates.wage_floor_text} 元"
        f"计算（申报 {wages_text} 元）",
    )


def _farming_imputation(
    member: Member, declared: Decimal, rates: Rates
) -> tuple[Imputation, Explanation]:
    monthly = member.hukou_dibao
    if monthly is None:
        monthly = rates.farming_dibao
        monthly_text = rates.farming_dibao_text
        counted = rates.farming_income
        counted_text = rates.farming_income_text
    else:
        monthly_text = yuan(monthly)
        counted = monthly * MONTHS_PER_YEAR
        counted_text = yuan(counted)
    declared_text = yuan(declared)
    return _imputation(
        member.id,
        "farming_hukou_dibao",
        declared,
        declared_text,
        counted,
        counted_text,
        monthly,
        monthly_text,
        f"第十三条：成员 {member.id} 在自家务农且无收入证明，"
        f"按户籍地低保标准 {monthly_text} 元 × 12 = "
        f"{counted_text} 元计算收入（申报 {declared_text} 元）",
    )


def _imputation(
    member_id: str,
    rule: Literal["minimum_wage_floor", "farming_hukou_dibao"],
    declared: Decimal,
    declared_text: str,
    counted: Decimal,
    counted_text: str,
    monthly: Decimal,
    monthly_text: str,
    text: str,
) -> tuple[Imputation, Explanation]:
    imputation = create(
        Imputation,
        {
            "member_id": member_id,
            "rule": rule,
            "declared": declared,
            "counted": counted,
            "basis_monthly": monthly,
            "text": text,
        },
    )
    line = create(
        Explanation,
        {
            "article": "第十三条",
            "code": f"imputation.{member_id}",
            "outcome": "applied",
            "text": text,
            "figures": {
                "declared": declared_text,
                "counted": counted_text,
                "basis_monthly": monthly_text,
            },
        },
    )
    return imputation, line


def assess_members(
    household: Household, rates: Rates, explanations: list[Explanation]
) -> tuple[list[MemberAssessment], dict[str, MemberIncome]]:
    """Count every member and compute the counted members' incomes.

    Appends each member's explanation lines to `explanations` and returns
    the member results and the incomes by member id.
    """
    members: list[MemberAssessment] = []
    incomes: dict[str, MemberIncome] = {}
    on = household.assessment_date
    for member in household.members:
        status = membership(member)
        # Legal working age starts on the 16th birthday and ends the day
        # before the retirement date. Reaching age 16 is the same test as
        # the 16th birthday being on or before `on`, because age_on rolls
        # 29 February as that birthday does.
        age = age_on(member.birth_date, on)
        retires_on = retirement_date(
            member.birth_date,
            retirement_rule(member.sex, member.female_worker_base_50),
        )
        working_age = age >= MIN_WORKING_AGE_YEARS and on < retires_on
        declared = declared_income(member.annual)
        explanations.append(_member_line(member, status))
        if status.counted:
            income = member_income(
                member, declared, working_age=working_age, rates=rates
            )
            incomes[member.id] = income
            counted = income.gross_counted
            deductions = income.deductions
            if income.imputation_line is not None:
                explanations.append(income.imputation_line)
        else:
            counted = deductions = ZERO
        # `create` inlined, because this runs for every member.
        assessment = new_instance(MemberAssessment)
        set_dict(
            assessment,
            {
                "id": member.id,
                "counted": status.counted,
                "reason": status.reason,
                "article": status.article,
                "age": age,
                "working_age": working_age,
                "retirement_date": retires_on,
                "gross_income_declared": declared,
                "gross_income_counted": counted,
                "deductions": deductions,
            },
        )
        set_fields_set(assessment, _ASSESSMENT_FIELDS)
        set_extra(assessment, None)
        set_private(assessment, None)
        members.append(assessment)
    return members, incomes


def _member_line(member: Member, status: Membership) -> Explanation:
    key = (member.id, member.relation)
    line = status.lines.get(key)
    if line is None:
        if len(status.lines) >= _MAX_LINES_PER_STATUS:
            status.lines.clear()
        line = status.lines[key] = _new_member_line(member, status)
    return line


_ASSESSMENT_FIELDS = MemberAssessment.__result_fields_set__


# The line quotes only the member's id and relation and the fixed reason of
# the status, so lines are shared between results. Ids such as m1 repeat
# across files.
_MAX_LINES_PER_STATUS = 1024


def _new_member_line(member: Member, status: Membership) -> Explanation:
    verb = "计入" if status.counted else "不计入"
    return create(
        Explanation,
        {
            "article": status.article,
            "code": f"member.{member.id}",
            "outcome": "met" if status.counted else "not_met",
            "text": (
                f"{status.article}：成员 {member.id}（{member.relation}）{verb}"
                f"家庭人口：{status.reason}"
            ),
            "figures": {},
        },
    )
