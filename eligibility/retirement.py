"""Statutory retirement dates after the 2025 gradual reform.

The reform in force from 1 January 2025 delays the base ages by one month for
every few months of birth after a starting cohort, up to a ceiling. The
figures below are the national ones and are parameters so a test or a later
rule version can change them.
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal

from eligibility.dates import add_months_rolling


@dataclass(frozen=True)
class RetirementRule:
    """One base retirement age and how the reform delays it."""

    base_age_years: int
    first_delayed_cohort: date
    birth_months_per_delay_month: int
    max_delay_months: int


MEN_BASE_60 = RetirementRule(60, date(1965, 1, 1), 4, 36)
WOMEN_BASE_55 = RetirementRule(55, date(1970, 1, 1), 4, 36)
WOMEN_BASE_50 = RetirementRule(50, date(1975, 1, 1), 2, 60)

# Age at which a person enters legal working age.
MIN_WORKING_AGE_YEARS = 16


def retirement_rule(
    sex: Literal["male", "female"], female_worker_base_50: bool
) -> RetirementRule:
    """Select the rule for a person. Women default to base 55."""
    if sex == "male":
        return MEN_BASE_60
    if female_worker_base_50:
        return WOMEN_BASE_50
    return WOMEN_BASE_55


def delay_months(birth_date: date, rule: RetirementRule) -> int:
    """Return the reform's delay in months for a birth date.

    The first block of cohorts (for example January to April 1965 for men) is
    delayed one month, the next block two months, and so on up to the cap.
    """
    start = rule.first_delayed_cohort
    months_since = (birth_date.year - start.year) * 12 + (
        birth_date.month - start.month
    )
    if months_since < 0:
        return 0
    delay = months_since // rule.birth_months_per_delay_month + 1
    return min(delay, rule.max_delay_months)


def retirement_age_months(birth_date: date, rule: RetirementRule) -> int:
    """Return the statutory retirement age in months for a birth date."""
    return rule.base_age_years * 12 + delay_months(birth_date, rule)


def retirement_date(birth_date: date, rule: RetirementRule) -> date:
    """Return the day on which a person reaches the statutory retirement age."""
    # retirement_age_months written out, which saves a call per member.
    months = rule.base_age_years * 12 + delay_months(birth_date, rule)
    return add_months_rolling(birth_date, months)
