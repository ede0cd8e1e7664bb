"""Input validation of household files: every check and its loc."""

from datetime import date

import pytest

from eligibility import HouseholdInvalid, parse_household
from tests.eligibility.builders import ASSESSMENT_DATE, household, id_number, member


def _errors(data, today=ASSESSMENT_DATE):
    with pytest.raises(HouseholdInvalid) as raised:
        parse_household(data, today=today)
    return raised.value.errors


def _error_at(data, loc):
    errors = _errors(data)
    matching = [error for error in errors if error.loc == loc]
    assert matching, [error.loc for error in errors]
    return matching[0]


def _set_id(data, index, number):
    data["members"][index]["id_number"] = number
    return data


def test_valid_household_parses():
    parsed = parse_household(household(), today=ASSESSMENT_DATE)
    assert parsed.warnings == []
    assert parsed.household.members[0].id == "m1"


def test_id_15_digits_rejected():
    data = _set_id(household(), 1, "130100860606002")
    error = _error_at(data, ("members", 1, "id_number"))
    assert error.code == "id_number_15_digits"
    assert "18-digit" in error.message


def test_id_wrong_length_rejected():
    data = _set_id(household(), 1, "13010019860606002")
    assert _error_at(data, ("members", 1, "id_number")).code == "id_number_length"


def test_id_format_rejected():
    data = _set_id(household(), 1, "1301001986O6060026")
    assert _error_at(data, ("members", 1, "id_number")).code == "id_number_format"


def test_id_birth_date_invalid():
    body = "13010019860230002"
    data = _set_id(household(), 1, body + "0")
    error = _error_at(data, ("members", 1, "id_number"))
    assert error.code == "id_number_birth_date"


def test_id_checksum_rejected():
    good = id_number(date(1986, 6, 6), "female")
    wrong = good[:-1] + ("1" if good[-1] != "1" else "2")
    data = _set_id(household(), 1, wrong)
    error = _error_at(data, ("members", 1, "id_number"))
    assert error.code == "id_number_checksum"
    assert good[-1] in error.message


def test_id_sex_parity_mismatch():
    data = _set_id(household(), 1, id_number(date(1986, 6, 6), "male"))
    error = _error_at(data, ("members", 1, "id_number"))
    assert error.code == "id_number_sex_mismatch"


def test_id_birth_date_mismatch():
    data = _set_id(household(), 1, id_number(date(1986, 6, 7), "female"))
    error = _error_at(data, ("members", 1, "id_number"))
    assert error.code == "id_number_birth_date_mismatch"


@pytest.mark.parametrize("region", ["810000", "820000", "830000"])
def test_residence_permit_regions_accepted(region):
    number = id_number(date(1986, 6, 6), "female", region=region)
    data = _set_id(household(), 1, number)
    parsed = parse_household(data, today=ASSESSMENT_DATE)
    assert parsed.warnings == []


def test_unknown_region_warns_only():
    number = id_number(date(1986, 6, 6), "female", region="139999")
    data = _set_id(household(), 1, number)
    parsed = parse_household(data, today=ASSESSMENT_DATE)
    assert [warning.loc for warning in parsed.warnings] == [("members", 1, "id_number")]
    assert parsed.warnings[0].code == "id_number_region_unknown"


def test_lowercase_check_x_accepted():
    birth = date(2014, 4, 4)
    number = next(
        id_number(birth, "male", sequence=sequence)
        for sequence in range(1, 999, 2)
        if id_number(birth, "male", sequence=sequence).endswith("X")
    )
    data = _set_id(household(), 2, number.lower())
    assert parse_household(data, today=ASSESSMENT_DATE).warnings == []


@pytest.mark.parametrize(
    "loc",
    [
        ("members", 0, "annual", "wages"),
        ("members", 0, "annual", "social_security"),
        ("special_expenses",),
        ("sudden_event", "expenses"),
        ("assets", "savings"),
        ("assets", "investment_assets"),
        ("standards", "dibao"),
        ("members", 1, "hukou_dibao"),
    ],
)
def test_negative_money_rejected(loc):
    data = household(sudden_event={"kind": "accident", "expenses": "100.00"})
    target = data
    for part in loc[:-1]:
        target = target[part]
    target[loc[-1]] = "-1.00"
    error = _error_at(data, loc)
    assert error.code == "negative_amount"


def test_applicant_not_a_member():
    data = household()
    data["applicant"]["member"] = "m9"
    error = _error_at(data, ("applicant", "member"))
    assert error.code == "applicant_not_member"


def test_duplicate_member_id():
    data = household()
    data["members"][2]["id"] = "m2"
    error = _error_at(data, ("members", 2, "id"))
    assert error.code == "duplicate_member_id"


def test_assessment_date_in_future():
    data = household()
    errors = _errors(data, today=date(2026, 3, 9))
    assert [error.loc for error in errors] == [("assessment_date",)]
    assert errors[0].code == "assessment_date_in_future"


def test_no_counted_member():
    data = household()
    for record in data["members"]:
        record["same_hukou"] = False
        record["school_certificate"] = False
    error = _error_at(data, ("members",))
    assert error.code == "no_counted_member"


def test_verified_cohabitation_counts():
    data = household()
    for record in data["members"]:
        record["same_hukou"] = False
    data["members"][0]["cohabitation_verified"] = True
    parsed = parse_household(data, today=ASSESSMENT_DATE)
    assert parsed.household.members[0].cohabitation_verified


@pytest.mark.parametrize(
    ("path", "value", "loc"),
    [
        (("members", 0, "sex"), "unknown", ("members", 0, "sex")),
        (("members", 1, "relation"), "cousin", ("members", 1, "relation")),
        (("applicant", "employment"), "freelance", ("applicant", "employment")),
        (("applicant", "hukou"), "suburban", ("applicant", "hukou")),
        (("hardship_causes",), ["bad_luck"], ("hardship_causes", 0)),
        (
            ("members", 2, "excluded_status"),
            "abroad",
            ("members", 2, "excluded_status"),
        ),
    ],
)
def test_unknown_enum_rejected(path, value, loc):
    data = household()
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    error = _error_at(data, loc)
    assert error.code == "literal_error"
    assert "Input should be" in error.message


def test_unknown_event_kind_rejected():
    data = household(sudden_event={"kind": "meteor", "expenses": "1.00"})
    assert _error_at(data, ("sudden_event", "kind")).code == "literal_error"


def test_missing_field_rejected():
    data = household()
    del data["members"][0]["birth_date"]
    error = _error_at(data, ("members", 0, "birth_date"))
    assert error.code == "missing"


def test_bad_amount_rejected():
    data = household()
    data["special_expenses"] = "twelve"
    assert _error_at(data, ("special_expenses",)).code.startswith("decimal")


def test_unemployed_needs_job_lost_on():
    data = household()
    data["applicant"]["employment"] = "unemployed"
    error = _error_at(data, ("applicant", "job_lost_on"))
    assert error.code == "job_lost_on_missing"


def test_job_lost_after_assessment():
    data = household()
    data["applicant"].update(employment="unemployed", job_lost_on="2026-04-01")
    error = _error_at(data, ("applicant", "job_lost_on"))
    assert error.code == "job_lost_after_assessment"


def test_birth_after_assessment():
    data = household()
    data["members"][2] = member("m3", relation="child", birth_date=date(2026, 4, 1))
    error = _error_at(data, ("members", 2, "birth_date"))
    assert error.code == "birth_date_after_assessment"


def test_partial_standards_rejected():
    data = household()
    data["standards"] = {"region": "测试区", "dibao": "850.00"}
    error = _error_at(data, ("standards",))
    assert error.code == "standards_incomplete"


def test_region_only_standards_accepted():
    data = household()
    data["standards"] = {"region": "测试区"}
    parsed = parse_household(data, today=ASSESSMENT_DATE)
    assert parsed.household.standards.dibao is None


def test_errors_collected_together():
    data = household()
    data["applicant"]["member"] = "m9"
    data["special_expenses"] = "-5.00"
    locs = {error.loc for error in _errors(data)}
    assert ("applicant", "member") in locs
    assert ("special_expenses",) in locs


def test_message_says_how_to_fix():
    data = household()
    data["applicant"]["member"] = "m9"
    error = _error_at(data, ("applicant", "member"))
    assert "'m9'" in error.message
    assert "Set it to" in error.message


def test_extra_fields_kept():
    data = household(caseworker_note="入户两次")
    parsed = parse_household(data, today=ASSESSMENT_DATE)
    assert parsed.household.model_extra == {"caseworker_note": "入户两次"}


def test_warning_dibao_without_assistance():
    data = household(dibao_certificate=True)
    parsed = parse_household(data, today=ASSESSMENT_DATE)
    assert [warning.loc for warning in parsed.warnings] == [("government_assistance",)]
