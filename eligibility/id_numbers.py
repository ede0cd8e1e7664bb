"""Checks of resident ID numbers (居民身份证号码) against a member record.

An 18-character number has 6 region digits, the birth date as YYYYMMDD, 3
sequence digits (the last odd for men, even for women) and a check character
(0-9 or X). The 港澳台居民居住证 numbers of regions 810000, 820000 and
830000 follow the same rules. python-stdnum's region table is incomplete, so
a checksum-valid number in an unknown region only gets a warning.
"""

from dataclasses import dataclass
from datetime import date

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

RESIDENCE_PERMIT_REGIONS = frozenset({"810000", "820000", "830000"})


@dataclass(frozen=True)
class IdNumberProblem:
    code: str
    message: str
    fatal: bool


def check_id_number(
    number: str, *, sex: str, birth_date: date
) -> list[IdNumberProblem]:
    """Check one ID number and return its problems, fatal ones first.

    A structural problem (length, format, date, checksum) stops the checks
    that depend on it, so each number gets at most one fatal message about
    its structure.
    """
    compact = ric.compact(number)
    structure = _structure_problem(compact)
    if structure is not None:
        return [structure]

    problems: list[IdNumberProblem] = []
    encoded_birth = ric.get_birth_date(compact)
    if encoded_birth != birth_date:
        problems.append(
            IdNumberProblem(
                "id_number_birth_date_mismatch",
                f"ID number {number!r} encodes birth date {encoded_birth}, "
                f"but the member's birth_date is {birth_date}. "
                "Correct whichever of the two is wrong.",
                True,
            )
        )
    encoded_sex = "male" if int(compact[16]) % 2 == 1 else "female"
    if encoded_sex != sex:
        problems.append(
            IdNumberProblem(
                "id_number_sex_mismatch",
                f"ID number {number!r} has sequence digit {compact[16]}, which "
                f"is issued to {encoded_sex} persons (odd for men, even for "
                f"women), but the member's sex is {sex}. "
                "Correct the sex or the ID number.",
                True,
            )
        )
    region_warning = _region_warning(compact)
    if region_warning is not None:
        problems.append(region_warning)
    return problems


def _structure_problem(compact: str) -> IdNumberProblem | None:
    if len(compact) == 15 and compact.isdigit():
        return IdNumberProblem(
            "id_number_15_digits",
            f"ID number {compact!r} is a 15-digit first-generation number, "
            "which is no longer accepted. Give the member's 18-digit number.",
            True,
        )
    if len(compact) != 18:
        return IdNumberProblem(
            "id_number_length",
            f"ID number {compact!r} has {len(compact)} characters instead of "
            "18. Enter all 18 characters of the number.",
            True,
        )
    if not compact[:17].isdigit() or not (compact[17].isdigit() or compact[17] == "X"):
        return IdNumberProblem(
            "id_number_format",
            f"ID number {compact!r} is invalid: the first 17 characters must "
            "be digits and the last a digit or X.",
            True,
        )
    try:
        ric.get_birth_date(compact)
    except ValidationError:
        return IdNumberProblem(
            "id_number_birth_date",
            f"ID number {compact!r} contains {compact[6:14]} in the birth date "
            "position, which is not a valid date. Check the number against "
            "the ID card.",
            True,
        )
    expected_check = ric.calc_check_digit(compact)
    if compact[17] != expected_check:
        return IdNumberProblem(
            "id_number_checksum",
            f"ID number {compact!r} has check character {compact[17]}, but "
            f"its first 17 digits give {expected_check}. The number has a "
            "typing error. Check it against the ID card.",
            True,
        )
    return None


def _region_warning(compact: str) -> IdNumberProblem | None:
    if compact[:6] in RESIDENCE_PERMIT_REGIONS:
        return None
    try:
        ric.get_birth_place(compact)
    # python-stdnum 2.2 raises KeyError for a code that matches a province
    # but no county (such as 139999), so that counts as unknown too.
    except (ValidationError, KeyError):
        return IdNumberProblem(
            "id_number_region_unknown",
            f"ID number {compact!r} has region code {compact[:6]}, which the "
            "python-stdnum region table does not list for its birth year. "
            "The number is accepted. Check the region code if in doubt.",
            False,
        )
    return None
