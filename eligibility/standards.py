"""Resolution of the standards an assessment uses."""

from datetime import date
from decimal import Decimal

from eligibility.models import Hukou, Standards, StandardsBlock
from eligibility.money import yuan
from eligibility.result import StandardsBasis, StandardsUsed, create

# 第四条（三）: without a local low-income line, the line is dibao + 50%.
DEFAULT_LOW_INCOME_MULTIPLE = Decimal("1.5")
REQUIRED_FIGURES = ("dibao", "minimum_wage", "effective_from")


class StandardsMissing(ValueError):
    """Raised when an assessment has no figures for a standards block."""


class StandardsNotInForce(ValueError):
    """Raised when the standards take effect after the assessment date."""


def block_figures_missing(block: StandardsBlock) -> list[str]:
    """Return the names of the required figures a block lacks."""
    return [name for name in REQUIRED_FIGURES if getattr(block, name) is None]


def resolve(
    block: StandardsBlock | None,
    override: Standards | None,
    *,
    field: str,
    assessment_date: date,
) -> Standards:
    """Return the override if given, else the figures of the file's block."""
    if override is None and block is not None:
        cached = _resolved.get(id(block))
        if cached is not None and cached[0] is block:
            standards = cached[1]
            _check_in_force(standards, field, assessment_date)
            return standards
    standards = _resolve(block, override, field=field, assessment_date=assessment_date)
    if override is None and block is not None:
        if len(_resolved) >= _CACHE_SIZE:
            _resolved.clear()
        _resolved[id(block)] = (block, standards)
    return standards


# Blocks are frozen, so the Standards made from one are kept by the block's
# identity. Each entry keeps a reference to its block, so no other object
# can reuse the id while the entry exists.
_CACHE_SIZE = 1024
_resolved: dict[int, tuple[StandardsBlock, Standards]] = {}


def _check_in_force(standards: Standards, field: str, assessment_date: date) -> None:
    if standards.effective_from > assessment_date:
        raise StandardsNotInForce(
            f"The {field} of region {standards.region!r} take effect on "
            f"{standards.effective_from}, after the assessment date "
            f"{assessment_date}. Pass the standards in force on that date."
        )


def _resolve(
    block: StandardsBlock | None,
    override: Standards | None,
    *,
    field: str,
    assessment_date: date,
) -> Standards:
    if override is not None:
        standards = override
    elif block is None:
        raise StandardsMissing(
            f"The household file has no {field!r} block and no {field}= argument "
            "was given. Pass the resolved standards to assess()."
        )
    else:
        missing = block_figures_missing(block)
        if missing:
            raise StandardsMissing(
                f"The household file's {field!r} block names region "
                f"{block.region!r} but lacks {', '.join(missing)}. Resolve the "
                f"standards in force on {assessment_date} for that region and "
                f"pass them as {field}= to assess()."
            )
        standards = Standards.model_validate(block.model_dump())
    _check_in_force(standards, field, assessment_date)
    return standards


def standards_used(
    standards: Standards, *, basis: StandardsBasis, hukou: Hukou
) -> StandardsUsed:
    """Return the figures an assessment compares against for one region."""
    key = (id(standards), basis, hukou)
    cached = _used.get(key)
    if cached is not None and cached[0] is standards:
        return cached[1]
    used = _standards_used(standards, basis=basis, hukou=hukou)
    if len(_used) >= _CACHE_SIZE:
        _used.clear()
    _used[key] = (standards, used)
    return used


_used: dict[tuple[int, str, str], tuple[Standards, StandardsUsed]] = {}


def _standards_used(
    standards: Standards, *, basis: StandardsBasis, hukou: Hukou
) -> StandardsUsed:
    dibao = standards.dibao_for(hukou)
    kind = (
        "rural" if hukou == "rural" and standards.rural_dibao is not None else "urban"
    )
    line = standards.low_income_line
    derived = line is None
    if line is None:
        line = dibao * DEFAULT_LOW_INCOME_MULTIPLE
    return create(
        StandardsUsed,
        {
            "basis": basis,
            "region": standards.region,
            "dibao": dibao,
            "dibao_kind": kind,
            "low_income_line": line,
            "low_income_line_derived": derived,
            "minimum_wage": standards.minimum_wage,
            "effective_from": standards.effective_from,
            "source": standards.source,
        },
    )


def describe(used: StandardsUsed, label: str | None = None) -> str:
    """Describe the standards in one Chinese line, naming the place by
    `label` (`household`, `work_place` or `hukou_place`) or by their basis."""
    # Keyed by identity, because hashing a pydantic model hashes every
    # field. `standards_used` returns the same object for the same standards.
    key = (id(used), label)
    cached = _described.get(key)
    if cached is not None and cached[0] is used:
        return cached[1]
    text = _describe(used, label)
    if len(_described) >= _CACHE_SIZE:
        _described.clear()
    _described[key] = (used, text)
    return text


_described: dict[tuple[int, str | None], tuple[StandardsUsed, str]] = {}


def _describe(used: StandardsUsed, label: str | None) -> str:
    basis = {"work_place": "务工地", "household": "本地", "hukou_place": "户籍地"}[
        label or used.basis
    ]
    kind = "农村" if used.dibao_kind == "rural" else "城市"
    line = f"低收入标准 {yuan(used.low_income_line)} 元"
    if used.low_income_line_derived:
        line += "（无低收入标准，按低保标准上浮50%）"
    return (
        f"{basis}标准：{used.region}，自 {used.effective_from} 起执行，"
        f"{kind}低保标准 {yuan(used.dibao)} 元，{line}，"
        f"最低工资标准 {yuan(used.minimum_wage)} 元（每人每月）"
    )
