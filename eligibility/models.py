"""Input models for the household file of an eligibility assessment.

Money is a decimal string in yuan and every income and expense figure is
annual (the twelve months before the assessment date). Unknown fields are
kept, unknown enum values fail validation.
"""

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Sex = Literal["male", "female"]
Relation = Literal["self", "spouse", "child", "parent", "other"]
Employment = Literal["employed", "unemployed", "retired"]
Hukou = Literal["urban", "rural"]
ExcludedStatus = Literal["conscript", "clergy_away", "missing", "in_custody"]
HardshipCause = Literal["illness", "schooling", "disability", "single_parent", "other"]
SuddenEventKind = Literal[
    "accident", "major_illness", "disaster", "safety_accident", "other"
]


class InputModel(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class StandardsBlock(InputModel):
    """Standards as the household file gives them: figures, or a region only.

    When the figures are absent the caller resolves them for the region and
    the assessment date and passes a `Standards` to `assess`.
    """

    region: str
    dibao: Decimal | None = None
    rural_dibao: Decimal | None = None
    low_income_line: Decimal | None = None
    minimum_wage: Decimal | None = None
    effective_from: date | None = None
    source: str | None = None


class Standards(InputModel):
    """Resolved standards of one region, per person per month in yuan."""

    region: str
    dibao: Decimal
    rural_dibao: Decimal | None = None
    low_income_line: Decimal | None = None
    minimum_wage: Decimal
    effective_from: date
    source: str | None = None

    def dibao_for(self, hukou: Hukou) -> Decimal:
        """Return the dibao for a hukou type. A missing rural value is dibao."""
        if hukou == "rural" and self.rural_dibao is not None:
            return self.rural_dibao
        return self.dibao


class Applicant(InputModel):
    member: str
    union_member: bool
    employer_has_union: bool
    employment: Employment
    job_lost_on: date | None = None
    unemployment_benefit: bool = False
    refused_training_or_referrals: bool = False
    socialized_retiree: bool = False
    retiree_exception_area: bool = False
    hukou: Hukou
    residence_permit: bool = False
    contract_months: int = Field(default=0, ge=0)


class AnnualIncome(InputModel):
    """A member's annual income and deductions in yuan."""

    wages: Decimal = Decimal("0")
    business: Decimal = Decimal("0")
    property: Decimal = Decimal("0")
    transfer: Decimal = Decimal("0")
    other: Decimal = Decimal("0")
    income_tax: Decimal = Decimal("0")
    social_security: Decimal = Decimal("0")


class Member(InputModel):
    id: str
    relation: Relation
    name: str = Field(min_length=1, max_length=100)
    sex: Sex
    birth_date: date
    id_number: str
    same_hukou: bool
    cohabitation_verified: bool = False
    excluded_status: ExcludedStatus | None = None
    school_certificate: bool = False
    incapacity_certificate: bool = False
    farming_at_home: bool = False
    hukou_dibao: Decimal | None = None
    income_proof: bool = False
    female_worker_base_50: bool = False
    annual: AnnualIncome

    @field_validator("name", mode="before")
    @classmethod
    def _strip_name(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("id_number", mode="before")
    @classmethod
    def _normalise_id_number(cls, value: object) -> object:
        # Spaces around the number and a lower-case check character are
        # typing variants of the same number, and the one-open-case rule
        # compares numbers exactly.
        return value.strip().upper() if isinstance(value, str) else value


class SuddenEvent(InputModel):
    kind: SuddenEventKind
    expenses: Decimal


class Assets(InputModel):
    homes: int = Field(ge=0)
    commercial_shop: bool = False
    employs_others: bool = False
    private_school_or_abroad: bool = False
    frequent_vehicle_use: bool = False
    refuses_verification: bool = False
    investment_assets: Decimal = Decimal("0")
    savings: Decimal = Decimal("0")


class Household(InputModel):
    """One household file: the input of an assessment."""

    id: str | None = None
    title: str | None = None
    assessment_date: date
    standards: StandardsBlock | None = None
    work_standards: StandardsBlock | None = None
    applicant: Applicant
    # Far above any real household; a larger list is a broken file.
    members: list[Member] = Field(min_length=1, max_length=50)
    dibao_certificate: bool = False
    government_assistance: bool = False
    months_below_dibao: int = Field(default=0, ge=0)
    hardship_causes: list[HardshipCause] = Field(default_factory=list)
    special_expenses: Decimal = Decimal("0")
    sudden_event: SuddenEvent | None = None
    assets: Assets
    major_illness_years_over_income: int = Field(default=0, ge=0)

    def applicant_member(self) -> Member:
        """Return the member record of the applicant."""
        for member in self.members:
            if member.id == self.applicant.member:
                return member
        raise KeyError(self.applicant.member)
