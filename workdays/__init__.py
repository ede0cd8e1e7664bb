"""Working days for Chinese deadlines: State Council notices, statutory rules
and administrator overrides. Pure: no database and no Temporal imports.
"""

from workdays.calendar import (
    SHANGHAI,
    Deadline,
    Suspension,
    WorkCalendar,
    end_of_day,
    local_date,
)
from workdays.data import CalendarData, CalendarYear, CalendarYearMissingError, Override
from workdays.library import from_holidays_library, notice_years
from workdays.statutory import (
    statutory_days_off,
    statutory_holiday_dates,
    statutory_year,
)

__all__ = [
    "SHANGHAI",
    "CalendarData",
    "CalendarYear",
    "CalendarYearMissingError",
    "Deadline",
    "Override",
    "Suspension",
    "WorkCalendar",
    "end_of_day",
    "from_holidays_library",
    "local_date",
    "notice_years",
    "statutory_days_off",
    "statutory_holiday_dates",
    "statutory_year",
]
