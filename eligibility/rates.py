"""The standards one assessment uses, with the figures derived from them.

Every household assessed under the same resolved standards compares against
the same thresholds and prints the same amounts, so these are computed once
per combination of standards objects and kept by the objects' identity.
"""

from eligibility.models import Hukou, Standards
from eligibility.money import MONTHS_PER_YEAR, yuan
from eligibility.result import Explanation, StandardsUsed, create
from eligibility.standards import describe, standards_used

SUDDEN_EVENT_INCOME_MULTIPLE = 3


class Rates:
    """Thresholds and formatted amounts of the standards an assessment uses.

    `used` gives dibao and the low-income line, `wages` gives the minimum
    wage for the 第十三条 floor, and `hukou` the rural dibao for farming at
    home. Annual figures are 12 × the monthly standard.
    """

    __slots__ = (
        "used",
        "hukou_used",
        "explanations",
        "dibao",
        "dibao_text",
        "dibao_annual",
        "low_income_line",
        "low_income_line_text",
        "low_income_line_annual",
        "three_times_dibao",
        "three_times_dibao_text",
        "minimum_wage",
        "minimum_wage_text",
        "wage_floor",
        "wage_floor_text",
        "farming_dibao",
        "farming_dibao_text",
        "farming_income",
        "farming_income_text",
    )

    def __init__(
        self,
        used: StandardsUsed,
        hukou_used: StandardsUsed | None,
        explanations: tuple[Explanation, ...],
        wages: Standards,
        hukou: Standards,
    ) -> None:
        self.used = used
        self.hukou_used = hukou_used
        self.explanations = explanations

        self.dibao = used.dibao
        self.dibao_text = yuan(used.dibao)
        self.dibao_annual = used.dibao * MONTHS_PER_YEAR
        self.low_income_line = used.low_income_line
        self.low_income_line_text = yuan(used.low_income_line)
        self.low_income_line_annual = used.low_income_line * MONTHS_PER_YEAR
        self.three_times_dibao = used.dibao * SUDDEN_EVENT_INCOME_MULTIPLE
        self.three_times_dibao_text = yuan(self.three_times_dibao)

        self.minimum_wage = wages.minimum_wage
        self.minimum_wage_text = yuan(wages.minimum_wage)
        self.wage_floor = wages.minimum_wage * MONTHS_PER_YEAR
        self.wage_floor_text = yuan(self.wage_floor)

        self.farming_dibao = hukou.dibao_for("rural")
        self.farming_dibao_text = yuan(self.farming_dibao)
        self.farming_income = self.farming_dibao * MONTHS_PER_YEAR
        self.farming_income_text = yuan(self.farming_income)


def rates_for(
    own: Standards, work: Standards | None, *, hukou: Hukou, has_work_place: bool
) -> Rates:
    """Return the rates for the household's own standards and, for a
    migrant-worker family, the work place's standards."""
    key = (id(own), id(work), hukou, has_work_place)
    cached = _cache.get(key)
    if cached is not None and cached[0] is own and cached[1] is work:
        return cached[2]
    rates = _rates(own, work, hukou=hukou, has_work_place=has_work_place)
    if len(_cache) >= _CACHE_SIZE:
        _cache.clear()
    _cache[key] = (own, work, rates)
    return rates


# Each entry keeps references to its standards, so no other object can
# reuse their ids while the entry exists.
_CACHE_SIZE = 1024
_cache: dict[tuple[int, int, str, bool], tuple[Standards, Standards | None, Rates]] = {}


def _line(article: str, code: str, text: str) -> Explanation:
    return create(
        Explanation,
        {
            "article": article,
            "code": code,
            "outcome": "note",
            "text": f"{article}：{text}",
            "figures": {},
        },
    )


def _rates(
    own: Standards, work: Standards | None, *, hukou: Hukou, has_work_place: bool
) -> Rates:
    own_used = standards_used(own, basis="household", hukou=hukou)
    if work is None:
        lines = [_line("第四条", "standards", describe(own_used))]
        if has_work_place:
            lines.append(
                _line(
                    "第四条（五）",
                    "standards.work_place_unused",
                    "申请人非农村户籍，不按务工地标准评估，务工地标准未使用",
                )
            )
        return Rates(own_used, None, tuple(lines), wages=own, hukou=own)

    used = standards_used(work, basis="work_place", hukou="urban")
    lines = [
        _line("第四条", "standards", describe(used)),
        _line(
            "第四条（五）",
            "standards.hukou_place",
            describe(own_used, "hukou_place") + "，用于自家务农收入的计算",
        ),
    ]
    return Rates(used, own_used, tuple(lines), wages=work, hukou=own)
