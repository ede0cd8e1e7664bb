"""Validation of a household file into a `ParsedHousehold`.

Every problem found is collected, so one `HouseholdInvalid` lists them all
with the path of the offending field (`loc`), as pydantic does.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from eligibility.id_numbers import check_id_number
from eligibility.members import membership
from eligibility.models import Household, StandardsBlock
from eligibility.result import Issue, build
from eligibility.standards import REQUIRED_FIGURES, block_figures_missing

Loc = tuple[str | int, ...]

MEMBER_MONEY_FIELDS = (
    "wages",
    "business",
    "property",
    "transfer",
    "other",
    "income_tax",
    "social_security",
)
STANDARDS_MONEY_FIELDS = ("dibao", "rural_dibao", "low_income_line", "minimum_wage")


class HouseholdInvalid(ValueError):
    """Raised when a household file fails validation.

    `errors` lists every fatal problem and `warnings` the non-fatal ones
    found in the same pass.
    """

    def __init__(self, errors: list[Issue], warnings: list[Issue]) -> None:
        self.errors = errors
        self.warnings = warnings
        lines = [f"{_format_loc(issue.loc)}: {issue.message}" for issue in errors]
        super().__init__(
            f"Household file is invalid ({len(errors)} errors):\n" + "\n".join(lines)
        )


@dataclass(frozen=True)
class ParsedHousehold:
    """A validated household and the warnings its validation found."""

    household: Household
    warnings: list[Issue] = field(default_factory=list)


def _format_loc(loc: Loc) -> str:
    return ".".join(str(part) for part in loc) or "(file)"


def _issue(loc: Loc, message: str, code: str) -> Issue:
    return build(Issue, loc=loc, message=message, code=code)


def parse_household(data: dict[str, Any], *, today: date) -> ParsedHousehold:
    """Validate a household file's data and return the parsed household.

    `today` is the caller's current date in Asia/Shanghai, because an
    assessment date in the future is rejected. Raises `HouseholdInvalid`.
    """
    try:
        household = Household.model_validate(data)
    except ValidationError as exc:
        raise HouseholdInvalid(_pydantic_issues(exc), []) from None

    errors: list[Issue] = []
    warnings: list[Issue] = []
    _check_dates(household, today, errors)
    _check_money(household, errors, warnings)
    _check_members(household, errors, warnings)
    _check_applicant(household, errors, warnings)
    _check_standards(household, errors)
    if errors:
        raise HouseholdInvalid(errors, warnings)
    return ParsedHousehold(household=household, warnings=warnings)


def _pydantic_issues(exc: ValidationError) -> list[Issue]:
    issues = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        issues.append(_issue(loc, _pydantic_message(error), error["type"]))
    return issues


def _pydantic_message(error: Any) -> str:
    """Return pydantic's message on a field with a hint on how to fix it."""
    kind = error["type"]
    where = _format_loc(tuple(error["loc"]))
    message = error["msg"]
    if kind == "missing":
        return f"{where} is missing. Add the field to the household file."
    if kind in {"literal_error", "enum"}:
        return f"{where} has the value {error['input']!r}, which is invalid. {message}."
    if kind.startswith("decimal"):
        return (
            f"{where} has the value {error['input']!r}, which is not an amount. "
            'Write money as a decimal string in yuan, such as "1200.00".'
        )
    if kind.startswith("date"):
        return (
            f"{where} has the value {error['input']!r}, which is not a valid "
            "date. Write dates as YYYY-MM-DD."
        )
    if kind == "greater_than_equal":
        return f"{where} is {error['input']!r}, but it cannot be negative. {message}."
    return f"{where} is invalid: {message}. Correct the value."


def _check_dates(household: Household, today: date, errors: list[Issue]) -> None:
    on = household.assessment_date
    if on > today:
        errors.append(
            _issue(
                ("assessment_date",),
                f"assessment_date {on} is after today ({today}). An assessment "
                "cannot be made for a future date. Use today's date or an "
                "earlier one.",
                "assessment_date_in_future",
            )
        )
    for index, member in enumerate(household.members):
        if member.birth_date > on:
            errors.append(
                _issue(
                    ("members", index, "birth_date"),
                    f"birth_date {member.birth_date} is after the assessment "
                    f"date {on}. Correct the birth date.",
                    "birth_date_after_assessment",
                )
            )
    lost = household.applicant.job_lost_on
    if lost is not None and lost > on:
        errors.append(
            _issue(
                ("applicant", "job_lost_on"),
                f"job_lost_on {lost} is after the assessment date {on}. "
                "Correct the date of the job loss.",
                "job_lost_after_assessment",
            )
        )


# Ten billion yuan: any single figure above it is a typing error, and far
# larger ones would overflow the cent rounding of the income figures.
MAX_AMOUNT = Decimal("10000000000")


def _negative(loc: Loc, value: Decimal, errors: list[Issue]) -> None:
    if value < 0:
        hint = (
            " A loss in business counts as 0.00 net income."
            if loc[-1] == "business"
            else ""
        )
        errors.append(
            _issue(
                loc,
                f"{_format_loc(loc)} is {value}, but amounts cannot be negative. "
                f"Enter the amount as zero or more.{hint}",
                "negative_amount",
            )
        )
    elif value > MAX_AMOUNT:
        errors.append(
            _issue(
                loc,
                f"{_format_loc(loc)} is {value}, more than {MAX_AMOUNT:,} yuan. "
                'Check the figure: amounts are in yuan, such as "1200.00".',
                "amount_too_large",
            )
        )


def _more_than_cents(loc: Loc, value: Decimal, warnings: list[Issue]) -> None:
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        warnings.append(
            _issue(
                loc,
                f"{_format_loc(loc)} is {value}, with more than two decimal "
                "places. The figure is used unrounded. Check it was meant.",
                "amount_precision",
            )
        )


def _check_amount(
    loc: Loc, value: Decimal | None, errors: list[Issue], warnings: list[Issue]
) -> None:
    if value is None:
        return
    _negative(loc, value, errors)
    _more_than_cents(loc, value, warnings)


def _check_money(
    household: Household, errors: list[Issue], warnings: list[Issue]
) -> None:
    for index, member in enumerate(household.members):
        for name in MEMBER_MONEY_FIELDS:
            loc = ("members", index, "annual", name)
            _check_amount(loc, getattr(member.annual, name), errors, warnings)
        _check_amount(
            ("members", index, "hukou_dibao"), member.hukou_dibao, errors, warnings
        )
    _check_amount(("special_expenses",), household.special_expenses, errors, warnings)
    if household.sudden_event is not None:
        _check_amount(
            ("sudden_event", "expenses"),
            household.sudden_event.expenses,
            errors,
            warnings,
        )
    for name in ("investment_assets", "savings"):
        _check_amount(
            ("assets", name), getattr(household.assets, name), errors, warnings
        )
    for block_name in ("standards", "work_standards"):
        block: StandardsBlock | None = getattr(household, block_name)
        if block is None:
            continue
        for name in STANDARDS_MONEY_FIELDS:
            _check_amount((block_name, name), getattr(block, name), errors, warnings)


def _check_members(
    household: Household, errors: list[Issue], warnings: list[Issue]
) -> None:
    seen: dict[str, int] = {}
    numbers: dict[str, int] = {}
    self_index: int | None = None
    any_counted = False
    for index, member in enumerate(household.members):
        if member.id_number in numbers:
            errors.append(
                _issue(
                    ("members", index, "id_number"),
                    f"ID number {member.id_number!r} is already given for "
                    f"members[{numbers[member.id_number]}]. Each person has "
                    "their own number; correct one of them.",
                    "duplicate_id_number",
                )
            )
        else:
            numbers[member.id_number] = index
        if member.relation == "self":
            if self_index is not None:
                errors.append(
                    _issue(
                        ("members", index, "relation"),
                        f"members[{self_index}] already has relation 'self'. "
                        "Only the applicant is 'self'; give this member their "
                        "relation to the applicant.",
                        "duplicate_self",
                    )
                )
            else:
                self_index = index
        if member.id in seen:
            errors.append(
                _issue(
                    ("members", index, "id"),
                    f"Member id {member.id!r} is already used by "
                    f"members[{seen[member.id]}]. "
                    "Give every member a unique id.",
                    "duplicate_member_id",
                )
            )
        else:
            seen[member.id] = index
        for problem in check_id_number(
            member.id_number, sex=member.sex, birth_date=member.birth_date
        ):
            issue = _issue(
                ("members", index, "id_number"), problem.message, problem.code
            )
            (errors if problem.fatal else warnings).append(issue)
        if membership(member).counted:
            any_counted = True
    if not any_counted:
        errors.append(
            _issue(
                ("members",),
                "No member counts in the household under 第九条 and 第十条 "
                "(every member is excluded or lives apart on a separate hukou "
                "without a verified home visit). Per-capita income needs at "
                "least one counted member. Correct the member records.",
                "no_counted_member",
            )
        )


def _check_applicant(
    household: Household, errors: list[Issue], warnings: list[Issue]
) -> None:
    applicant = household.applicant
    ids = [member.id for member in household.members]
    if applicant.member not in ids:
        errors.append(
            _issue(
                ("applicant", "member"),
                f"applicant.member {applicant.member!r} is not among the member "
                f"ids {ids}. Set it to the id of the applicant's member record.",
                "applicant_not_member",
            )
        )
    else:
        record = household.applicant_member()
        if record.relation != "self":
            warnings.append(
                _issue(
                    ("applicant", "member"),
                    f"The applicant's member record {applicant.member!r} has "
                    f"relation {record.relation!r} instead of 'self'. Check that "
                    "applicant.member names the right member.",
                    "applicant_relation",
                )
            )
        if not membership(record).counted:
            warnings.append(
                _issue(
                    ("applicant", "member"),
                    "The applicant does not count as a household member under "
                    "第九条 and 第十条. Check the applicant's member record.",
                    "applicant_not_counted",
                )
            )
    if (
        applicant.employment == "unemployed"
        and not applicant.unemployment_benefit
        and applicant.job_lost_on is None
    ):
        errors.append(
            _issue(
                ("applicant", "job_lost_on"),
                "job_lost_on is missing for an unemployed applicant without "
                "unemployment benefit. 第六条 needs the date of the job loss to "
                "tell whether the 2 years have passed. Add it as YYYY-MM-DD.",
                "job_lost_on_missing",
            )
        )
    if applicant.employment != "retired" and (
        applicant.socialized_retiree or applicant.retiree_exception_area
    ):
        warnings.append(
            _issue(
                ("applicant", "employment"),
                f"employment is {applicant.employment!r}, so socialized_retiree "
                "and retiree_exception_area are ignored. Set employment to "
                "'retired' if the applicant is a retiree.",
                "retiree_flags_ignored",
            )
        )
    if household.dibao_certificate and not household.government_assistance:
        warnings.append(
            _issue(
                ("government_assistance",),
                "The household holds a 低保证 but government_assistance is "
                "false. 低保 is government assistance. Check both fields.",
                "dibao_without_assistance",
            )
        )
    if household.special_expenses > 0 and not household.hardship_causes:
        warnings.append(
            _issue(
                ("special_expenses",),
                "special_expenses are given but hardship_causes is empty, so "
                "category 3 cannot use them. Add the causes of the expenses.",
                "expenses_without_cause",
            )
        )


def _check_standards(household: Household, errors: list[Issue]) -> None:
    for block_name in ("standards", "work_standards"):
        block: StandardsBlock | None = getattr(household, block_name)
        if block is None:
            continue
        missing = block_figures_missing(block)
        if missing and len(missing) < len(REQUIRED_FIGURES):
            errors.append(
                _issue(
                    (block_name,),
                    f"{block_name} gives some figures but lacks {', '.join(missing)}. "
                    "Give all of dibao, minimum_wage and effective_from, or only "
                    "the region so the service resolves them.",
                    "standards_incomplete",
                )
            )
        elif block.effective_from is not None and (
            block.effective_from > household.assessment_date
        ):
            errors.append(
                _issue(
                    (block_name, "effective_from"),
                    f"{block_name} take effect on {block.effective_from}, after "
                    f"the assessment date {household.assessment_date}. Give the "
                    "standards in force on the assessment date.",
                    "standards_not_in_force",
                )
            )
