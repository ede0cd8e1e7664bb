"""Result models of an assessment. JSON mode writes Decimals as strings."""

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

Verdict = Literal["eligible", "not_eligible", "needs_decision"]
Outcome = Literal["met", "not_met", "applied", "note"]
ExclusionCode = Literal[
    "homes", "business", "private_school", "vehicles", "refuses_verification"
]
StandardsBasis = Literal["household", "work_place"]
MaterialStatus = Literal["provided", "missing", "unknown"]


class ResultModel(BaseModel):
    model_config = ConfigDict(frozen=True)

    # The field names, shared by the instances that `build` creates.
    __result_fields_set__: ClassVar[set[str]] = set()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.__result_fields_set__ = set(cls.model_fields)


ResultT = TypeVar("ResultT", bound=ResultModel)


def build(model: type[ResultT], **values: Any) -> ResultT:
    """Create a result model from trusted values, without validation.

    The engine builds about twenty result objects per assessment, and
    `model_construct` (pydantic 2.14) costs more than the rules themselves.
    Callers pass every field, so no default needs filling in.
    """
    return create(model, values)


def create(model: type[ResultT], values: dict[str, Any]) -> ResultT:
    """Create a result model from a dict of every field, without validation.

    The same as `build`, for the hot paths: a dict literal costs less than
    keyword arguments. The dict becomes the instance's `__dict__`.
    """
    # NOTE: this sets the instance attributes that model_construct sets in
    # pydantic 2.x. The serialisation tests fail if a pydantic upgrade
    # changes them.
    instance = new_instance(model)
    set_dict(instance, values)
    # Every instance of a model gets the same set of all its field names.
    # Pydantic never changes the set of a frozen model in place: model_copy
    # copies it first.
    set_fields_set(instance, model.__result_fields_set__)
    set_extra(instance, None)
    set_private(instance, None)
    return instance


# The steps of `create`, for the few hot paths that inline it. These are
# BaseModel's slot descriptors, called directly because that is faster than
# object.__setattr__ with the attribute's name.
new_instance = object.__new__
set_dict = BaseModel.__dict__["__dict__"].__set__
set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
set_private = BaseModel.__dict__["__pydantic_private__"].__set__


class Issue(ResultModel):
    """A validation error or warning about one field of the household file."""

    loc: tuple[str | int, ...]
    message: str
    code: str


class Explanation(ResultModel):
    """One rule applied, as data and as a Chinese line.

    `outcome` is `met` when the rule's condition is true (an exclusion hit
    counts as met) and `applied` for a computation.
    """

    article: str
    code: str
    outcome: Outcome
    text: str
    figures: dict[str, str]


class StandardsUsed(ResultModel):
    basis: StandardsBasis
    region: str
    dibao: Decimal
    dibao_kind: Literal["urban", "rural"]
    low_income_line: Decimal
    low_income_line_derived: bool
    minimum_wage: Decimal
    effective_from: date
    source: str | None


class Imputation(ResultModel):
    """An income figure that 第十三条 replaced or raised."""

    member_id: str
    rule: Literal["minimum_wage_floor", "farming_hukou_dibao"]
    declared: Decimal
    counted: Decimal
    basis_monthly: Decimal
    text: str


class MemberAssessment(ResultModel):
    id: str
    counted: bool
    reason: str
    article: str
    age: int
    working_age: bool
    retirement_date: date
    gross_income_declared: Decimal
    gross_income_counted: Decimal
    deductions: Decimal


class IncomeSummary(ResultModel):
    """Annual household figures over the counted members, in yuan."""

    total_income: Decimal
    income_tax: Decimal
    social_security: Decimal
    disposable_income: Decimal
    members_counted: int
    per_capita_monthly_exact: Decimal
    per_capita_monthly: Decimal


class CategoryResult(ResultModel):
    """One 第四条 category, met or not, with the figures behind it."""

    number: int
    met: bool
    article: str
    formula: str
    figures: dict[str, Decimal]
    reason: str


class ExclusionResult(ResultModel):
    code: ExclusionCode
    hit: bool
    article: str
    label: str


class ScopeCheck(ResultModel):
    """A 第二条, 第五条 or 第六条 scope rule, or a 第四条（五） condition."""

    code: str
    article: str
    passed: bool
    reason: str


class GradeSuggestion(ResultModel):
    grade: Literal["extreme"] | None
    label: str | None
    article: str
    reason: str


class Material(ResultModel):
    code: str
    label: str
    article: str
    member_id: str | None
    status: MaterialStatus


class AssessmentResult(ResultModel):
    """The outcome of one assessment.

    The first five fields have the names and meanings of a household file's
    `expected` block, so a test can compare them directly.
    """

    verdict: Verdict
    categories: list[int]
    exclusions: list[ExclusionCode]
    members_counted: int
    per_capita_monthly_income: str

    rules_version: str
    assessment_date: date
    deciding_articles: list[str]
    migrant: bool
    category_results: list[CategoryResult]
    exclusion_results: list[ExclusionResult]
    scope_checks: list[ScopeCheck]
    members: list[MemberAssessment]
    imputations: list[Imputation]
    income: IncomeSummary
    standards_used: StandardsUsed
    hukou_standards: StandardsUsed | None
    grade: GradeSuggestion
    decision_figures: dict[str, Decimal] | None
    materials: list[Material]
    materials_missing: list[str]
    explanations: list[Explanation]
    warnings: list[Issue]

    def expected_view(self) -> dict[str, object]:
        """Return the five fields of a household file's `expected` block."""
        return {
            "verdict": self.verdict,
            "categories": list(self.categories),
            "exclusions": list(self.exclusions),
            "members_counted": self.members_counted,
            "per_capita_monthly_income": self.per_capita_monthly_income,
        }
