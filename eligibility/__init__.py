"""Eligibility rules for hardship-worker families under 冀工办发〔2019〕25号.

A pure rules package: it validates a household file and assesses it under
第二条 to 第十七条 of the Hebei measures, without any database or workflow
dependency.
"""

from eligibility.engine import NoCountedMember, assess
from eligibility.models import Household, Member, Standards, StandardsBlock
from eligibility.result import AssessmentResult, Explanation, Issue
from eligibility.standards import StandardsMissing, StandardsNotInForce
from eligibility.validation import HouseholdInvalid, ParsedHousehold, parse_household
from eligibility.version import RULES_VERSION

__all__ = [
    "RULES_VERSION",
    "AssessmentResult",
    "Explanation",
    "Household",
    "HouseholdInvalid",
    "Issue",
    "Member",
    "NoCountedMember",
    "ParsedHousehold",
    "Standards",
    "StandardsBlock",
    "StandardsMissing",
    "StandardsNotInForce",
    "assess",
    "parse_household",
]
