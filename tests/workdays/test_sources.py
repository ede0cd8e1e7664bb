"""Calendar years from the holidays package and from the statutory rules."""

from datetime import date, timedelta

import holidays
import pytest

from workdays import (
    from_holidays_library,
    notice_years,
    statutory_days_off,
    statutory_year,
)
from workdays.data import is_weekend


def days(first: date, last: date) -> set[date]:
    """Return every date from `first` to `last`, both included."""
    count = (last - first).days + 1
    return {first + timedelta(days=offset) for offset in range(count)}


NOTICE_2026_DAYS_OFF = (
    days(date(2026, 1, 1), date(2026, 1, 3))
    | days(date(2026, 2, 15), date(2026, 2, 23))
    | days(date(2026, 4, 4), date(2026, 4, 6))
    | days(date(2026, 5, 1), date(2026, 5, 5))
    | days(date(2026, 6, 19), date(2026, 6, 21))
    | days(date(2026, 9, 25), date(2026, 9, 27))
    | days(date(2026, 10, 1), date(2026, 10, 7))
)
NOTICE_2026_WORKED = {
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
}

# Derived by hand: lunar New Year 2027 is Sat 6 Feb, Qingming Mon 5 Apr,
# Dragon Boat Wed 9 Jun, Mid-Autumn Wed 15 Sep.
STATUTORY_2027_DAYS_OFF = {
    date(2027, 1, 1),  # New Year's Day, Friday
    date(2027, 2, 5),  # New Year's Eve, Friday
    date(2027, 2, 8),  # day 3, Monday
    date(2027, 2, 9),  # day 1 (Saturday) moved
    date(2027, 2, 10),  # day 2 (Sunday) moved
    date(2027, 4, 5),  # Qingming, Monday
    date(2027, 5, 3),  # 1 May (Saturday) moved
    date(2027, 5, 4),  # 2 May (Sunday) moved
    date(2027, 6, 9),  # Dragon Boat
    date(2027, 9, 15),  # Mid-Autumn
    date(2027, 10, 1),  # National Day, Friday
    date(2027, 10, 4),  # 2 Oct (Saturday) moved
    date(2027, 10, 5),  # 3 Oct (Sunday) moved
}

# Lunar New Year 2028 is Wed 26 Jan, Dragon Boat Sun 28 May, and Mid-Autumn
# coincides with National Day on Tue 3 Oct.
STATUTORY_2028_DAYS_OFF = {
    date(2028, 1, 3),  # 1 Jan (Saturday) moved
    date(2028, 1, 25),
    date(2028, 1, 26),
    date(2028, 1, 27),
    date(2028, 1, 28),
    date(2028, 4, 4),
    date(2028, 5, 1),
    date(2028, 5, 2),
    date(2028, 5, 29),  # Dragon Boat (Sunday) moved
    date(2028, 10, 2),
    date(2028, 10, 3),  # National Day and Mid-Autumn on one weekday
    date(2028, 10, 4),  # 1 Oct (Sunday) moved past 2 and 3 Oct
}


def test_2026_matches_notice() -> None:
    year = from_holidays_library(2026)

    assert year.official is True
    assert year.holidays == {day for day in NOTICE_2026_DAYS_OFF if not is_weekend(day)}
    assert year.working_days == NOTICE_2026_WORKED
    assert (
        year.source
        == f"State Council notice via python holidays {holidays.__version__}"
    )
    assert year.library_version == holidays.__version__


def test_2026_every_day_matches_notice() -> None:
    year = from_holidays_library(2026)

    for day in days(date(2026, 1, 1), date(2026, 12, 31)):
        expected = day in NOTICE_2026_WORKED or (
            not is_weekend(day) and day not in NOTICE_2026_DAYS_OFF
        )
        assert year.is_working_day(day) is expected, day


def test_notice_years_cover_2001_to_2026() -> None:
    assert set(range(2001, 2027)) <= notice_years()
    assert 2027 not in notice_years()


def test_2027_falls_back_to_statutory() -> None:
    year = from_holidays_library(2027)

    assert year.official is False
    assert year.working_days == frozenset()
    assert year.holidays == STATUTORY_2027_DAYS_OFF
    assert year.source.startswith("statutory rules")


def test_statutory_2027_by_hand() -> None:
    assert statutory_days_off(2027) == STATUTORY_2027_DAYS_OFF


def test_statutory_2028_by_hand() -> None:
    assert statutory_days_off(2028) == STATUTORY_2028_DAYS_OFF


def test_statutory_weekend_coincidence_moves_both() -> None:
    # Mid-Autumn 2039 falls on Sun 2 Oct, so 1-3 Oct give four holidays on
    # three dates, and the three weekend ones move to 4-6 Oct.
    days_off = statutory_days_off(2039)

    assert days(date(2039, 10, 3), date(2039, 10, 6)) <= days_off
    assert date(2039, 10, 7) not in days_off


def test_statutory_matches_library_estimate() -> None:
    # The package estimates non-notice years with the same moving rule, so
    # the two agree. A difference means that one of them changed its rules.
    for year_number in range(2027, 2100):
        estimate = {
            day for day in holidays.China(years=year_number) if not is_weekend(day)
        }
        assert statutory_days_off(year_number) == estimate, year_number


def test_statutory_year_is_provisional() -> None:
    year = statutory_year(2027)

    assert year.official is False
    assert year.working_days == frozenset()


@pytest.mark.parametrize("year_number", [2024, 2100])
def test_statutory_rejects_uncovered_year(year_number: int) -> None:
    with pytest.raises(ValueError, match="No statutory holiday rules"):
        statutory_days_off(year_number)
