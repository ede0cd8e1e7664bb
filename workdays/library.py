"""Calendar years built from the `holidays` package (python-holidays)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
from holidays.countries.china import ChinaStaticHolidays

from workdays.data import CalendarYear, is_weekend
from workdays.statutory import statutory_year


def notice_years() -> frozenset[int]:
    """Return the years whose State Council notice the installed package contains.

    The package has no explicit flag for this. It stores each notice's moved
    days (调休) in `ChinaStaticHolidays.special_public_holidays`, keyed by
    year, and every notice from 2001 to 2026 moves at least one day, so the
    keys are the notice years (checked against holidays 0.109).
    """
    return frozenset(ChinaStaticHolidays.special_public_holidays)


def from_holidays_library(year: int) -> CalendarYear:
    """Build a calendar year from the installed `holidays` package.

    A year with a notice in the package is official. For any other year the
    package's own estimate is ignored and the statutory rules apply, so the
    year is provisional.
    """
    if year not in notice_years():
        return statutory_year(year)

    version = holidays.__version__
    china = holidays.China(years=year)
    days_off: set[date] = set()
    working_days: set[date] = set()
    day = date(year, 1, 1)
    while day.year == year:
        working = china.is_working_day(day)
        if is_weekend(day) and working:
            working_days.add(day)
        elif not is_weekend(day) and not working:
            days_off.add(day)
        day += timedelta(days=1)

    return CalendarYear(
        year=year,
        source=f"State Council notice via python holidays {version}",
        official=True,
        holidays=frozenset(days_off),
        working_days=frozenset(working_days),
        library_version=version,
    )
