"""The five household categories of 第四条 with the tests of 第十一条.

Comparisons follow the twelve-month product decision: annual disposable
income and annual expenses against 12 × monthly dibao × members, which for
per-capita income is the same as the monthly comparison. Multiplying out the
division keeps every comparison exact, on unrounded figures.
"""

from decimal import Decimal

from eligibility.models import Household
from eligibility.money import MONTHS_PER_YEAR, yuan
from eligibility.result import CategoryResult, build

MIN_MONTHS_BELOW_DIBAO = 6
SUDDEN_EVENT_INCOME_MULTIPLE = 3

CATEGORY_ARTICLES = {
    1: "第四条（一）",
    2: "第四条（二）、第十一条（一）",
    3: "第四条（三）、第十一条（二）",
    4: "第四条（四）、第十一条（三）",
    5: "第四条（五）",
}

CAUSE_LABELS = {
    "illness": "患病",
    "schooling": "子女上学",
    "disability": "残疾",
    "single_parent": "单亲",
    "other": "其他特殊原因",
}

EVENT_LABELS = {
    "accident": "意外伤害",
    "major_illness": "重大疾病",
    "disaster": "自然灾害",
    "safety_accident": "重大安全事故",
    "other": "其他突发事件",
}


class Basis:
    """The figures every category compares, for one set of standards."""

    __slots__ = (
        "disposable",
        "members",
        "dibao",
        "low_income_line",
        "dibao_annual_total",
        "per_capita",
    )

    def __init__(
        self,
        *,
        disposable: Decimal,
        members: int,
        dibao: Decimal,
        low_income_line: Decimal,
    ) -> None:
        self.disposable = disposable
        self.members = members
        self.dibao = dibao
        self.low_income_line = low_income_line
        # 12 × monthly dibao × members: the annual household threshold.
        self.dibao_annual_total = dibao * MONTHS_PER_YEAR * members
        self.per_capita = self.monthly_per_capita(disposable)

    def monthly_per_capita(self, annual: Decimal) -> Decimal:
        return annual / MONTHS_PER_YEAR / self.members


def assess_categories(household: Household, basis: Basis) -> list[CategoryResult]:
    """Return categories 1 to 4, each met or not, with their figures."""
    return [
        _category_1(household, basis),
        _category_2(household, basis),
        _category_3(household, basis),
        _category_4(household, basis),
    ]


def _result(
    number: int, met: bool, formula: str, figures: dict[str, Decimal], reason: str
) -> CategoryResult:
    return build(
        CategoryResult,
        number=number,
        met=met,
        article=CATEGORY_ARTICLES[number],
        formula=formula,
        figures=figures,
        reason=reason,
    )


def _category_1(household: Household, basis: Basis) -> CategoryResult:
    below = basis.disposable < basis.dibao_annual_total
    months = household.months_below_dibao
    long_enough = months >= MIN_MONTHS_BELOW_DIBAO
    no_aid = not household.government_assistance
    met = below and long_enough and no_aid
    per_capita = basis.per_capita
    parts = [
        f"人均可支配收入 {yuan(per_capita)} 元"
        + ("低于" if below else "不低于")
        + f"低保标准 {yuan(basis.dibao)} 元",
        f"连续低于低保标准 {months} 个月"
        + ("（满6个月）" if long_enough else "（不满6个月）"),
        "未获政府救助" if no_aid else "已获政府救助",
    ]
    if met:
        parts.append("“生活特别困难”以入户调查结论为准（第十八条），本评估按已满足处理")
    return _result(
        1,
        met,
        "可支配收入 / 12 / 人数 < 低保标准，且连续低于低保 ≥ 6 个月，且未获政府救助",
        {
            "per_capita_monthly": per_capita,
            "dibao": basis.dibao,
            "months_below_dibao": Decimal(months),
        },
        "，".join(parts),
    )


def _category_2(household: Household, basis: Basis) -> CategoryResult:
    below = basis.disposable < basis.dibao_annual_total
    certificate = household.dibao_certificate
    per_capita = basis.per_capita
    parts = [
        "持有户籍地政府颁发的低保证" if certificate else "未持有低保证",
        f"救助后人均可支配收入 {yuan(per_capita)} 元"
        + ("低于" if below else "不低于")
        + f"低保标准 {yuan(basis.dibao)} 元",
    ]
    return _result(
        2,
        certificate and below,
        "持有低保证，且可支配收入 / 12 / 人数 < 低保标准",
        {"per_capita_monthly": per_capita, "dibao": basis.dibao},
        "，".join(parts),
    )


def _category_3(household: Household, basis: Basis) -> CategoryResult:
    threshold = basis.dibao_annual_total
    line_total = basis.low_income_line * MONTHS_PER_YEAR * basis.members
    in_band = threshold <= basis.disposable <= line_total
    causes = household.hardship_causes
    after_expenses = basis.disposable - household.special_expenses
    expenses_ok = after_expenses <= threshold
    met = in_band and bool(causes) and expenses_ok

    per_capita = basis.per_capita
    after_per_capita = basis.monthly_per_capita(after_expenses)
    band_text = (
        f"人均可支配收入 {yuan(per_capita)} 元"
        + ("在" if in_band else "不在")
        + f"低保标准 {yuan(basis.dibao)} 元至低收入标准 "
        f"{yuan(basis.low_income_line)} 元之间"
    )
    cause_text = (
        "致困原因：" + "、".join(CAUSE_LABELS[cause] for cause in causes)
        if causes
        else "无致困原因"
    )

    expense_text = (
        f"（可支配收入 {yuan(basis.disposable)} 元 − 致困支出 "
        f"{yuan(household.special_expenses)} 元）/ {basis.members} 人 / 12 = "
        f"{yuan(after_per_capita)} 元"
        + (" ≤" if expenses_ok else " >")
        + f" 低保标准 {yuan(basis.dibao)} 元"
    )
    return _result(
        3,
        met,
        "低保标准 ≤ 可支配收入 / 12 / 人数 ≤ 低收入标准，有致困原因，且"
        "（可支配收入 − 致困支出）/ 12 / 人数 ≤ 低保标准",
        {
            "per_capita_monthly": per_capita,
            "dibao": basis.dibao,
            "low_income_line": basis.low_income_line,
            "special_expenses": household.special_expenses,
            "per_capita_after_expenses": after_per_capita,
        },
        "，".join([band_text, cause_text, expense_text]),
    )


def _category_4(household: Household, basis: Basis) -> CategoryResult:
    event = household.sudden_event
    per_capita = basis.per_capita
    figures: dict[str, Decimal] = {
        "per_capita_monthly": per_capita,
        "dibao": basis.dibao,
    }
    formula = (
        "人均 ≤ 3 × 低保：（可支配收入 − 意外支出）/ 12 / 人数 ≤ 低保标准；"
        "人均 > 3 × 低保：（可支配收入 + 投资性净资产 + 储蓄 − 意外支出）"
        "/ 12 / 人数 ≤ 低保标准"
    )
    if event is None:
        return _result(4, False, formula, figures, "未遭受突发事件、意外伤害或重大疾病")

    threshold = basis.dibao_annual_total
    multiple_total = threshold * SUDDEN_EVENT_INCOME_MULTIPLE
    within_multiple = basis.disposable <= multiple_total
    multiple_dibao = basis.dibao * SUDDEN_EVENT_INCOME_MULTIPLE
    figures["expenses"] = event.expenses
    figures["three_times_dibao"] = multiple_dibao
    if within_multiple:
        remaining = basis.disposable - event.expenses
        head = (
            f"遭受{EVENT_LABELS[event.kind]}，人均可支配收入 {yuan(per_capita)} 元"
            f"在低保标准3倍 {yuan(multiple_dibao)} 元以内（含），"
            f"（可支配收入 {yuan(basis.disposable)} 元 − 意外支出 "
            f"{yuan(event.expenses)} 元）"
        )
    else:
        assets = household.assets
        remaining = (
            basis.disposable
            + assets.investment_assets
            + assets.savings
            - event.expenses
        )
        figures["investment_assets"] = assets.investment_assets
        figures["savings"] = assets.savings
        head = (
            f"遭受{EVENT_LABELS[event.kind]}，人均可支配收入 {yuan(per_capita)} 元"
            f"超过低保标准3倍 {yuan(multiple_dibao)} 元，"
            f"（可支配收入 {yuan(basis.disposable)} 元 + 投资性净资产 "
            f"{yuan(assets.investment_assets)} 元 + 储蓄 {yuan(assets.savings)} 元"
            f" − 意外支出 {yuan(event.expenses)} 元）"
        )
    met = remaining <= threshold
    remaining_per_capita = basis.monthly_per_capita(remaining)
    figures["per_capita_after_expenses"] = remaining_per_capita
    reason = (
        head
        + f" / {basis.members} 人 / 12 = {yuan(remaining_per_capita)} 元"
        + (" ≤" if met else " >")
        + f" 低保标准 {yuan(basis.dibao)} 元"
    )
    return _result(4, met, formula, figures, reason)
