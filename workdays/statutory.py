"""Statutory holidays for a year whose State Council notice is not loaded.

The rules are those of 全国年节及纪念日放假办法 as revised by State Council
Order No. 795, in force since 1 January 2025. The holidays are New Year's
Day (1 Jan) and the Spring Festival (lunar New Year's Eve and the first
three days of the lunar year). They also include Qingming, Labour Day
(1-2 May), the Dragon Boat Festival, the Mid-Autumn Festival and National
Day (1-3 Oct). A holiday that falls on a Saturday or Sunday moves to the
next working day. The rules add no adjusted working days, because only a
year's notice sets those.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays

# NOTE: `_ChineseLunisolar` is a private class of the holidays package
# (checked against 0.109), so a rename there breaks this import.
from holidays.calendars.chinese import _ChineseLunisolar

from workdays.data import CalendarYear, is_weekend

FIRST_STATUTORY_YEAR = 2025
# The lunar and solar-term tables of the holidays package cover 1901-2099.
LAST_STATUTORY_YEAR = 2099

STATUTORY_SOURCE = "statutory rules (全国年节及纪念日放假办法, 2024 revision)"


def statutory_holiday_dates(year: int) -> list[date]:
    """Return the statutory holidays of a year, before weekend ones move, by date.

    A date occurs twice when two holidays coincide (Mid-Autumn on 1-3 Oct).
    """
    _check_year(year)
    lunar = _ChineseLunisolar()
    new_year, _ = lunar.lunar_new_year_date(year)
    qingming, _ = lunar.qingming_date(year)
    dragon_boat, _ = lunar.dragon_boat_date(year)
    mid_autumn, _ = lunar.mid_autumn_date(year)
    if new_year is None or dragon_boat is None or mid_autumn is None:
        raise ValueError(f"The holidays package has no lunar dates for {year}.")

    holiday_dates = [
        date(year, 1, 1),
        new_year - timedelta(days=1),
        new_year,
        new_year + timedelta(days=1),
        new_year + timedelta(days=2),
        qingming,
        date(year, 5, 1),
        date(year, 5, 2),
        dragon_boat,
        mid_autumn,
        date(year, 10, 1),
        date(year, 10, 2),
        date(year, 10, 3),
    ]
    return sorted(holiday_dates)


def statutory_days_off(year: int) -> frozenset[date]:
    """Compute the Monday-to-Friday days off that the statutory rules give.

    Holidays on a weekday are placed first. Each holiday on a Saturday or
    Sunday then moves, in date order, to the next weekday that is not
    already a day off.
    """
    holiday_dates = statutory_holiday_dates(year)
    # NOTE: two holidays on the same weekday give one day off, but two on the
    # same weekend day both move, because the rules only move holidays that
    # fall on a weekend. Notices have given an extra day for a weekday
    # coincidence (2020: Mid-Autumn on 1 Oct), so check such years by hand.
    days_off = {day for day in holiday_dates if not is_weekend(day)}
    for day in (day for day in holiday_dates if is_weekend(day)):
        moved = day + timedelta(days=1)
        while is_weekend(moved) or moved in days_off:
            moved += timedelta(days=1)
        days_off.add(moved)
    return frozenset(days_off)


def statutory_year(year: int) -> CalendarYear:
    """Build a provisional calendar year from the statutory rules alone."""
    version = holidays.__version__
    return CalendarYear(
        year=year,
        source=f"{STATUTORY_SOURCE}; lunar dates from python holidays {version}",
        official=False,
        holidays=statutory_days_off(year),
        working_days=frozenset(),
        library_version=version,
    )


def _check_year(year: int) -> None:
    if not FIRST_STATUTORY_YEAR <= year <= LAST_STATUTORY_YEAR:
        raise ValueError(
            f"No statutory holiday rules for {year}: the 2024 rules apply from "
            f"{FIRST_STATUTORY_YEAR}, and the lunar tables end in "
            f"{LAST_STATUTORY_YEAR}. Load the year's notice instead."
        )
