"""Household input that once slipped through or crashed the service."""

from __future__ import annotations

import pytest

from eligibility import HouseholdInvalid, assess, parse_household
from tests.eligibility.builders import ASSESSMENT_DATE, household


def _error_at(data, loc):  # type: ignore[no-untyped-def]
    with pytest.raises(HouseholdInvalid) as raised:
        parse_household(data, today=ASSESSMENT_DATE)
    matching = [error for error in raised.value.errors if error.loc == loc]
    assert matching, [error.loc for error in raised.value.errors]
    return matching[0]


def test_id_number_spaces_and_lowercase_normalised() -> None:
    data = household()
    number = data["members"][0]["id_number"]
    data["members"][0]["id_number"] = f" {number.lower()} "
    parsed = parse_household(data, today=ASSESSMENT_DATE)
    assert parsed.household.members[0].id_number == number.upper()


def test_shared_id_number_rejected() -> None:
    data = household()
    data["members"][1]["id_number"] = data["members"][0]["id_number"]
    error = _error_at(data, ("members", 1, "id_number"))
    assert error.code == "duplicate_id_number"


def test_second_self_rejected() -> None:
    data = household()
    data["members"][1]["relation"] = "self"
    error = _error_at(data, ("members", 1, "relation"))
    assert error.code == "duplicate_self"


def test_blank_name_rejected() -> None:
    data = household()
    data["members"][0]["name"] = "   "
    _error_at(data, ("members", 0, "name"))


@pytest.mark.parametrize("amount", ["1e30", "9" * 40])
def test_huge_amount_rejected(amount: str) -> None:
    data = household()
    data["members"][0]["annual"]["wages"] = amount
    error = _error_at(data, ("members", 0, "annual", "wages"))
    assert error.code == "amount_too_large"


def test_largest_amount_assessed() -> None:
    data = household()
    data["members"][0]["annual"]["wages"] = "10000000000"
    result = assess(parse_household(data, today=ASSESSMENT_DATE))
    assert result.verdict == "not_eligible"


def test_negative_savings_message_has_no_business_hint() -> None:
    data = household()
    data["assets"]["savings"] = "-1"
    error = _error_at(data, ("assets", "savings"))
    assert "business" not in error.message
