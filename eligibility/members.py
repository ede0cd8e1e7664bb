"""Household members counted (第九条, 第十条) and their incomes (第十三条)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from eligibility.dates import add_years_rolling, age_on
from eligibility.models import Household, Member, Standards
from eligibility.money import MONTHS_PER_YEAR, yuan
from eligibility.result import Imputation, MemberAssessment, build
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
    counted: bool
    reason: str
    article: str


@dataclass(frozen=True, slots=True)
class MemberIncome:
    """A counted member's annual figures after 第十三条."""

    gross_declared: Decimal
    gross_counted: Decimal
    deductions: Decimal
    income_tax: Decimal
    social_security: Decimal
    imputation: Imputation | None


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


def working_age_status(member: Member, on: date) -> tuple[int, bool, date]:
    """Return the member's age, whether they are of legal working age, and
    their statutory retirement date.

    Legal working age starts on the 16th birthday and ends the day before
    the retirement date.
    """
    age = age_on(member.birth_date, on)
    rule = retirement_rule(member.sex, member.female_worker_base_50)
    retires_on = retirement_date(member.birth_date, rule)
    starts_on = add_years_rolling(member.birth_date, MIN_WORKING_AGE_YEARS)
    return age, starts_on <= on < retires_on, retires_on


def member_income(
    member: Member,
    *,
    working_age: bool,
    standards: Standards,
    hukou_standards: Standards,
) -> MemberIncome:
    """Apply 第十三条 to one counted member's declared income.

    The minimum wage is a floor on wages, not a replacement, so documented
    higher wages stay. Farming at home without proof is counted at the hukou
    place's dibao in place of every declared income figure. The rural value
    of the hukou place applies unless the member record gives `hukou_dibao`,
    because farming at home is rural work.
    """
    annual = member.annual
    declared = (
        annual.wages
        + annual.business
        + annual.property
        + annual.transfer
        + annual.other
    )
    deductions = annual.income_tax + annual.social_security
    imputation: Imputation | None = None
    counted = declared

    exempt = member.school_certificate or member.incapacity_certificate
    if working_age and not exempt:
        if member.farming_at_home:
            if not member.income_proof:
                monthly = member.hukou_dibao
                if monthly is None:
                    monthly = hukou_standards.dibao_for("rural")
                counted = monthly * MONTHS_PER_YEAR
                imputation = build(
                    Imputation,
                    member_id=member.id,
                    rule="farming_hukou_dibao",
                    declared=declared,
                    counted=counted,
                    basis_monthly=monthly,
                    text=(
                        f"第十三条：成员 {member.id} 在自家务农且无收入证明，"
                        f"按户籍地低保标准 {yuan(monthly)} 元 × 12 = "
                        f"{yuan(counted)} 元计算收入（申报 {yuan(declared)} 元）"
                    ),
                )
        else:
            monthly = standards.minimum_wage
            floor = monthly * MONTHS_PER_YEAR
            if annual.wages < floor:
                counted = declared - annual.wages + floor
                imputation = build(
                    Imputation,
                    member_id=member.id,
                    rule="minimum_wage_floor",
                    declared=annual.wages,
                    counted=floor,
                    basis_monthly=monthly,
                    text=(
                        f"第十三条：成员 {member.id} 在法定劳动年龄内，无在校证明或"
                        f"无劳动能力证明，工资性收入按最低工资标准 {yuan(monthly)} 元"
                        f" × 12 = {yuan(floor)} 元计算（申报 {yuan(annual.wages)} 元）"
                    ),
                )

    return MemberIncome(
        gross_declared=declared,
        gross_counted=counted,
        deductions=deductions,
        income_tax=annual.income_tax,
        social_security=annual.social_security,
        imputation=imputation,
    )


def assess_member(
    member: Member,
    household: Household,
    *,
    standards: Standards,
    hukou_standards: Standards,
) -> tuple[MemberAssessment, MemberIncome | None]:
    """Count one member and, when counted, compute their income."""
    status = membership(member)
    age, working_age, retires_on = working_age_status(member, household.assessment_date)
    income = None
    if status.counted:
        income = member_income(
            member,
            working_age=working_age,
            standards=standards,
            hukou_standards=hukou_standards,
        )
        declared, counted, deductions = (
            income.gross_declared,
            income.gross_counted,
            income.deductions,
        )
    else:
        annual = member.annual
        declared = (
            annual.wages
            + annual.business
            + annual.property
            + annual.transfer
            + annual.other
        )
        counted = deductions = Decimal("0")
    assessment = build(
        MemberAssessment,
        id=member.id,
        counted=status.counted,
        reason=status.reason,
        article=status.article,
        age=age,
        working_age=working_age,
        retirement_date=retires_on,
        gross_income_declared=declared,
        gross_income_counted=counted,
        deductions=deductions,
    )
    return assessment, income
