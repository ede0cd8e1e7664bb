"""The five household categories of 第四条 with the tests of 第十一条.

Comparisons follow the twelve-month product decision: annual disposable
income and annual expenses against 12 × monthly dibao × members, which for
per-capita income is the same as the monthly comparison. Multiplying out the
division keeps every comparison exact, on unrounded figures.
"""

from decimal import Decimal

from eligibility.models import Household
from eligibility.money import MONTHS_PER_YEAR, yuan
from eligibility.rates import SUDDEN_EVENT_INCOME_MULTIPLE, Rates
from eligibility.result import (
    CategoryResult,
    Explanation,
    new_instance,
    set_dict,
    set_extra,
    set_fields_set,
    set_private,
)

MIN_MONTHS_BELOW_DIBAO = 6

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
    """The figures every category compares, for one set of standards.

    The `_text` attributes are the figures formatted for the explanations,
    so each is formatted once per assessment.
    """

    __slots__ = (
        "disposable",
        "disposable_text",
        "members",
        "per_capita",
        "per_capita_text",
        "rates",
        "dibao_annual_total",
    )

    def __init__(
        self,
        disposable: Decimal,
        disposable_text: str,
        members: int,
        per_capita: Decimal,
        per_capita_text: str,
        rates: Rates,
    ) -> None:
        self.disposable = disposable
        self.disposable_text = disposable_text
        self.members = members
        self.per_capita = per_capita
        self.per_capita_text = per_capita_text
        self.rates = rates
        # 12 × monthly dibao × members: the annual household threshold.
        self.dibao_annual_total = rates.dibao_annual * members

    def monthly_per_capita(self, annual: Decimal) -> Decimal:
        return annual / MONTHS_PER_YEAR / self.members


def assess_categories(
    household: Household, basis: Basis
) -> list[tuple[CategoryResult, Explanation]]:
    """Return categories 1 to 4, each met or not, with their explanation."""
    return [
        _category_1(household, basis),
        _category_2(household, basis),
        _category_3(household, basis),
        _category_4(household, basis),
    ]


def category_result(
    number: int,
    met: bool,
    formula: str,
    figures: dict[str, Decimal],
    figure_texts: dict[str, str],
    reason: str,
) -> tuple[CategoryResult, Explanation]:
    """Build a category's result and its explanation line.

    `figure_texts` has the keys of `figures`, in the same order, with each
    amount formatted as yuan.
    """
    # `create` inlined, because this runs for every category of every
    # assessment.
    article = CATEGORY_ARTICLES[number]
    result = new_instance(CategoryResult)
    set_dict(
        result,
        {
            "number": number,
            "met": met,
            "article": article,
            "formula": formula,
            "figures": figures,
            "reason": reason,
        },
    )
    set_fields_set(result, _RESULT_FIELDS)
    set_extra(result, None)
    set_private(result, None)
    line = new_instance(Explanation)
    set_dict(
        line,
        {
            "article": article,
            "code": _CODES[number],
            "outcome": "met" if met else "not_met",
            "text": f"{article}：{reason}",
            "figures": figure_texts,
        },
    )
    set_fields_set(line, _LINE_FIELDS)
    set_extra(line, None)
    set_private(line, None)
    return result, line


_RESULT_FIELDS = CategoryResult.__result_fields_set__
_LINE_FIELDS = Explanation.__result_fields_set__
_CODES = {number: f"category.{number}" for number in CATEGORY_ARTICLES}
_FORMULA_1 = (
    "可支配收入 / 12 / 人数 < 低保标准，且连续低于低保 ≥ 6 个月，且未获政府救助"
)
_FORMULA_2 = "持有低保证，且可支配收入 / 12 / 人数 < 低保标准"
_FORMULA_3 = (
    "低保标准 ≤ 可支配收入 / 12 / 人数 ≤ 低收入标准，有致困原因，且"
    "（可支配收入 − 致困支出）/ 12 / 人数 ≤ 低保标准"
)
_FORMULA_4 = (
    "人均 ≤ 3 × 低保：（可支配收入 − 意外支出）/ 12 / 人数 ≤ 低保标准；"
    "人均 > 3 × 低保：（可支配收入 + 投资性净资产 + 储蓄 − 意外支出）"
    "/ 12 / 人数 ≤ 低保标准"
)


def _category_1(
    household: Household, basis: Basis
) -> tuple[CategoryResult, Explanation]:
    rates = basis.rates
    below = basis.disposable < basis.dibao_annual_total
    months = household.months_below_dibao
    long_enough = months >= MIN_MONTHS_BELOW_DIBAO
    no_aid = not household.government_assistance
    met = below and long_enough and no_aid
    reason = (
        f"人均可支配收入 {basis.per_capita_text} 元"
        f"{'低于' if below else '不低于'}低保标准 {rates.dibao_text} 元，"
        f"连续低于低保标准 {months} 个月"
        f"{'（满6个月）' if long_enough else '（不满6个月）'}，"
        f"{'未获政府救助' if no_aid else '已获政府救助'}"
    )
    if met:
        reason += "，“生活特别困难”以入户调查结论为准（第十八条），本评估按已满足处理"
    return category_result(
        1,
        met,
        _FORMULA_1,
        {
            "per_capita_monthly": basis.per_capita,
            "dibao": rates.dibao,
            "months_below_dibao": Decimal(months),
        },
        {
            "per_capita_monthly": basis.per_capita_text,
            "dibao": rates.dibao_text,
            # A whole number of months formats as yuan with two zero decimals.
            "months_below_dibao": f"{months}.00",
        },
        reason,
    )


def _category_2(
    household: Household, basis: Basis
) -> tuple[CategoryResult, Explanation]:
    rates = basis.rates
    below = basis.disposable < basis.dibao_annual_total
    certificate = household.dibao_certificate
    reason = (
        f"{'持有户籍地政府颁发的低保证' if certificate else '未持有低保证'}，"
        f"救助后人均可支配收入 {basis.per_capita_text} 元"
        f"{'低于' if below else '不低于'}低保标准 {rates.dibao_text} 元"
    )
    return category_result(
        2,
        certificate and below,
        _FORMULA_2,
        {"per_capita_monthly": basis.per_capita, "dibao": rates.dibao},
        {"per_capita_monthly": basis.per_capita_text, "dibao": rates.dibao_text},
        reason,
    )


def _category_3(
    household: Household, basis: Basis
) -> tuple[CategoryResult, Explanation]:
    rates = basis.rates
    threshold = basis.dibao_annual_total
    line_total = rates.low_income_line_annual * basis.members
    in_band = threshold <= basis.disposable <= line_total
    causes = household.hardship_causes
    expenses = household.special_expenses
    after_expenses = basis.disposable - expenses
    expenses_ok = after_expenses <= threshold
    met = in_band and bool(causes) and expenses_ok

    expenses_text = yuan(expenses)
    after_per_capita = basis.monthly_per_capita(after_expenses)
    after_text = yuan(after_per_capita)
    cause_text = (
        "致困原因：" + "、".join(CAUSE_LABELS[cause] for cause in causes)
        if causes
        else "无致困原因"
    )
    reason = (
        f"人均可支配收入 {basis.per_capita_text} 元{'在' if in_band else '不在'}"
        f"低保标准 {rates.dibao_text} 元至低收入标准 "
        f"{rates.low_income_line_text} 元之间，{cause_text}，"
        f"（可支配收入 {basis.disposable_text} 元 − 致困支出 {expenses_text} 元）"
        f"/ {basis.members} 人 / 12 = {after_text} 元"
        f"{' ≤' if expenses_ok else ' >'} 低保标准 {rates.dibao_text} 元"
    )
    return category_result(
        3,
        met,
        _FORMULA_3,
        {
            "per_capita_monthly": basis.per_capita,
            "dibao": rates.dibao,
            "low_income_line": rates.low_income_line,
            "special_expenses": expenses,
            "per_capita_after_expenses": after_per_capita,
        },
        {
            "per_capita_monthly": basis.per_capita_text,
            "dibao": rates.dibao_text,
            "low_income_line": rates.low_income_line_text,
            "special_expenses": expenses_text,
            "per_capita_after_expenses": after_text,
        },
        reason,
    )


def _category_4(
    household: Household, basis: Basis
) -> tuple[CategoryResult, Explanation]:
    rates = basis.rates
    event = household.sudden_event
    figures: dict[str, Decimal] = {
        "per_capita_monthly": basis.per_capita,
        "dibao": rates.dibao,
    }
    texts = {
        "per_capita_monthly": basis.per_capita_text,
        "dibao": rates.dibao_text,
    }
    if event is None:
        return category_result(
            4, False, _FORMULA_4, figures, texts, "未遭受突发事件、意外伤害或重大疾病"
        )

    threshold = basis.dibao_annual_total
    within_multiple = basis.disposable <= threshold * SUDDEN_EVENT_INCOME_MULTIPLE
    expenses = event.expenses
    expenses_text = yuan(expenses)
    figures["expenses"] = expenses
    figures["three_times_dibao"] = rates.three_times_dibao
    texts["expenses"] = expenses_text
    texts["three_times_dibao"] = rates.three_times_dibao_text
    head = f"遭受{EVENT_LABELS[event.kind]}，人均可支配收入 {basis.per_capita_text} 元"
    if within_multiple:
        remaining = basis.disposable - expenses
        head += (
            f"在低保标准3倍 {rates.three_times_dibao_text} 元以内（含），"
            f"（可支配收入 {basis.disposable_text} 元 − 意外支出 "
            f"{expenses_text} 元）"
        )
    else:
        assets = household.assets
        investment = assets.investment_assets
        savings = assets.savings
        remaining = basis.disposable + investment + savings - expenses
        investment_text = yuan(investment)
        savings_text = yuan(savings)
        figures["investment_assets"] = investment
        figures["savings"] = savings
        texts["investment_assets"] = investment_text
        texts["savings"] = savings_text
        head += (
            f"超过低保标准3倍 {rates.three_times_dibao_text} 元，"
            f"（可支配收入 {basis.disposable_text} 元 + 投资性净资产 "
            f"{investment_text} 元 + 储蓄 {savings_text} 元"
            f" − 意外支出 {expenses_text} 元）"
        )
    met = remaining <= threshold
    remaining_per_capita = basis.monthly_per_capita(remaining)
    remaining_text = yuan(remaining_per_capita)
    figures["per_capita_after_expenses"] = remaining_per_capita
    texts["per_capita_after_expenses"] = remaining_text
    reason = (
        f"{head} / {basis.members} 人 / 12 = {remaining_text} 元"
        f"{' ≤' if met else ' >'} 低保标准 {rates.dibao_text} 元"
    )
    return category_result(4, met, _FORMULA_4, figures, texts, reason)
